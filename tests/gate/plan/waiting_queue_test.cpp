#include "plan/waiting_queue.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <vector>

namespace chaosgate {
namespace {

using Offer = WaitingQueue::Offer;

// What one pass is offered, starting those in `start` and stopping at `stop_at`.
std::vector<std::size_t> pass(WaitingQueue& queue, const std::set<std::size_t>& start, std::size_t stop_at = SIZE_MAX) {
  std::vector<std::size_t> offered;
  queue.offer_each([&](std::size_t position) {
    if (position == stop_at) return Offer::stop;
    offered.push_back(position);
    return start.count(position) ? Offer::started : Offer::not_now;
  });
  return offered;
}

TEST(WaitingQueue, OffersInOrderAndTakesOutOnlyThoseStarted) {
  WaitingQueue queue({4, 0, 3, 1, 2});
  EXPECT_EQ(pass(queue, {0, 1}), (std::vector<std::size_t>{4, 0, 3, 1, 2}));
  EXPECT_EQ(queue.size(), 3U);
  EXPECT_EQ(pass(queue, {}), (std::vector<std::size_t>{4, 3, 2}));
  EXPECT_EQ(pass(queue, {4, 3, 2}), (std::vector<std::size_t>{4, 3, 2}));
  EXPECT_TRUE(queue.empty());
  EXPECT_TRUE(pass(queue, {}).empty());
}

TEST(WaitingQueue, StopEndsThePassAndKeepsTheRest) {
  WaitingQueue queue({0, 1, 2, 3});
  EXPECT_EQ(pass(queue, {0}, 2), (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(queue.size(), 3U);  // the one answered stop stays, and so do those after it
  EXPECT_EQ(queue.take_all(), (std::vector<std::size_t>{1, 2, 3}));
  EXPECT_TRUE(queue.empty());
}

// The scheduler's pattern at its worst for the slots: those behind a blocked
// head start one by one, so started slots pile up between waiting ones and
// are dropped as they go; the order of what is left never changes.
TEST(WaitingQueue, AgainstAListOverManyRandomPasses) {
  std::mt19937 random(7);
  std::vector<std::size_t> order(500);
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = (i * 7919) % order.size();
  WaitingQueue queue(order);
  std::vector<std::size_t> model = order;  // what a std::list would hold
  while (!model.empty()) {
    std::set<std::size_t> start;
    for (const std::size_t position : model)
      if (random() % 4 == 0) start.insert(position);
    const std::size_t stop_at = random() % 3 == 0 ? model[random() % model.size()] : SIZE_MAX;
    std::vector<std::size_t> expected;
    std::vector<std::size_t> kept;
    bool stopped = false;
    for (const std::size_t position : model) {
      stopped = stopped || position == stop_at;
      if (!stopped) expected.push_back(position);
      if (stopped || !start.count(position)) kept.push_back(position);
    }
    ASSERT_EQ(pass(queue, start, stop_at), expected);
    model = kept;
    ASSERT_EQ(queue.size(), model.size());
  }
  EXPECT_TRUE(queue.empty());
}

}  // namespace
}  // namespace chaosgate
