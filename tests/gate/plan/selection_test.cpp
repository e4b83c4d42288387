#include "plan/selection.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "support/selection_of_suite.h"
#include "util/errors.h"

namespace chaosgate {

using test::select_from;

namespace {

Experiment make(const std::string& id, const std::string& owner, AttackGroup group, Millis pause,
                LifecycleStatus status = LifecycleStatus::promoted, std::vector<std::string> tags = {}) {
  Experiment e;
  e.id = id;
  e.owner = owner;
  e.service = owner + "-svc";
  e.attack_group = group;
  e.status = status;
  e.tags = std::move(tags);
  e.targets = {id};
  Action wait;
  wait.kind = ActionKind::pause;
  wait.pause = pause;
  e.method.push_back(wait);
  return e;
}

std::vector<std::string> ids(const Selection& selection) {
  std::vector<std::string> out;
  for (const auto* e : selection.selected) out.emplace_back(e->id);
  return out;
}

Suite sample_suite(int count) {
  Suite suite;
  for (int i = 0; i < count; ++i)
    suite.experiments.push_back(make("exp-" + std::to_string(i), i % 2 ? "checkout" : "storefront",
                                     i % 3 ? AttackGroup::network : AttackGroup::state, Millis(1000 + 137 * (i % 7))));
  return suite;
}

}  // namespace

TEST(Selection, PromotedOnlyByDefault) {
  Suite suite;
  suite.experiments = {make("a", "t", AttackGroup::state, Millis(1)),
                       make("b", "t", AttackGroup::state, Millis(1), LifecycleStatus::candidate),
                       make("c", "t", AttackGroup::state, Millis(1), LifecycleStatus::draft)};
  auto selection = select_from(suite, {});
  EXPECT_EQ(ids(selection), (std::vector<std::string>{"a"}));
  ASSERT_EQ(selection.skipped.size(), 2u);
  EXPECT_EQ(selection.skipped[0].reason, "status candidate");

  SelectionCriteria wider;
  wider.statuses = {LifecycleStatus::promoted, LifecycleStatus::candidate};
  EXPECT_EQ(ids(select_from(suite, wider)), (std::vector<std::string>{"a", "b"}));
}

TEST(Selection, OnlyAndSkipSelectors) {
  Suite suite;
  suite.experiments = {make("cart-redis", "checkout", AttackGroup::dependency, Millis(1), LifecycleStatus::promoted, {"redis"}),
                       make("cart-cpu", "checkout", AttackGroup::resource, Millis(1)),
                       make("front-freeze", "storefront", AttackGroup::application, Millis(1), LifecycleStatus::promoted, {"nginx"})};
  auto run = [&](std::vector<std::string> only, std::vector<std::string> skip) {
    SelectionCriteria criteria;
    for (const auto& s : only) criteria.only.push_back(parse_selector(s));
    for (const auto& s : skip) criteria.skip.push_back(parse_selector(s));
    return ids(select_from(suite, criteria));
  };
  EXPECT_EQ(run({"cart-*"}, {}), (std::vector<std::string>{"cart-redis", "cart-cpu"}));
  EXPECT_EQ(run({"team:storefront"}, {}), (std::vector<std::string>{"front-freeze"}));
  EXPECT_EQ(run({"tag:redis", "group:application"}, {}), (std::vector<std::string>{"cart-redis", "front-freeze"}));
  EXPECT_EQ(run({}, {"service:checkout-*"}), (std::vector<std::string>{"front-freeze"}));
  EXPECT_EQ(run({"team:checkout"}, {"id:cart-cpu"}), (std::vector<std::string>{"cart-redis"}));
  EXPECT_THROW(parse_selector("owner:x"), UserError);
  EXPECT_THROW(parse_selector("team:"), UserError);
}

TEST(Selection, AnOnlySelectorThatMatchesNothingIsAnError) {
  Suite suite;
  suite.name = "shop";
  suite.experiments = {make("cart-redis", "checkout", AttackGroup::dependency, Millis(1)),
                       make("cart-draft", "checkout", AttackGroup::resource, Millis(1), LifecycleStatus::draft)};
  SelectionCriteria criteria;
  criteria.only = {parse_selector("cart-redis"), parse_selector("team:chekout")};
  try {
    select_from(suite, criteria);
    FAIL() << "a selector that matches nothing was accepted";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("--only \"team:chekout\": no experiment of suite \"shop\" matches it"), std::string::npos)
        << e.what();
  }
  // Matching an experiment the status leaves out is no typo: it is selected away with its reason.
  criteria.only = {parse_selector("cart-draft")};
  const auto selection = select_from(suite, criteria);
  EXPECT_TRUE(selection.selected.empty());
  ASSERT_EQ(selection.skipped.size(), 2u);
  EXPECT_EQ(selection.skipped[1].reason, "status draft");
  // --skip may match nothing: it only runs more.
  criteria.only.clear();
  criteria.skip = {parse_selector("no-such-experiment")};
  EXPECT_EQ(ids(select_from(suite, criteria)), (std::vector<std::string>{"cart-redis"}));
}

TEST(Selection, NothingSelectedNoteCountsTheReasons) {
  Suite suite;
  suite.experiments = {make("a", "checkout", AttackGroup::dependency, Millis(1), LifecycleStatus::candidate),
                       make("b", "checkout", AttackGroup::resource, Millis(1), LifecycleStatus::draft),
                       make("c", "checkout", AttackGroup::resource, Millis(1), LifecycleStatus::candidate),
                       make("d", "checkout", AttackGroup::resource, Millis(1), LifecycleStatus::promoted, {"slow"})};
  SelectionCriteria criteria;
  criteria.skip = {parse_selector("tag:slow")};
  const auto selection = select_from(suite, criteria);
  ASSERT_TRUE(selection.selected.empty());
  EXPECT_EQ(nothing_selected_note(selection),
            "nothing selected: the suite's 4 experiment(s) were all left out (2 status candidate, 1 status draft, 1 --skip tag:slow)");
  EXPECT_EQ(nothing_selected_note(select_from(Suite{}, {})), "nothing selected: the suite has no experiment");
}

TEST(Selection, ShardParsing) {
  EXPECT_EQ(parse_shard("2/3").index, 2);
  EXPECT_EQ(parse_shard("2/3").count, 3);
  for (const char* bad : {"0/3", "4/3", "3", "a/b", "1/0", "1/3x", "-1/3", "1/1001"})
    EXPECT_THROW(parse_shard(bad), UserError) << bad;
}

TEST(Selection, ShardsPartitionTheSuiteAndAreBalancedAndStable) {
  const Suite suite = sample_suite(40);
  std::map<std::string, int> seen;
  std::vector<Millis> totals;
  for (int index = 1; index <= 3; ++index) {
    SelectionCriteria criteria;
    criteria.shard = {index, 3};
    const auto selection = select_from(suite, criteria);
    Millis total{0};
    for (const auto* e : selection.selected) {
      ++seen[std::string(e->id)];
      total += e->estimated_duration;
    }
    totals.push_back(total);
    // Stable: the same criteria give the same shard, every time.
    EXPECT_EQ(ids(selection), ids(select_from(suite, criteria)));
  }
  EXPECT_EQ(seen.size(), 40u);
  for (const auto& [id, count] : seen) EXPECT_EQ(count, 1) << id;
  const auto [lightest, heaviest] = std::minmax_element(totals.begin(), totals.end());
  // Longest-first greedy: shards differ by at most one experiment's duration.
  EXPECT_LE((*heaviest - *lightest).count(), 1000 + 137 * 6);

  // The order of experiments in the file does not change the assignment.
  Suite reversed = suite;
  std::reverse(reversed.experiments.begin(), reversed.experiments.end());
  SelectionCriteria second;
  second.shard = {2, 3};
  auto a = ids(select_from(suite, second)), b = ids(select_from(reversed, second));
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  EXPECT_EQ(a, b);
}

}  // namespace chaosgate
