#pragma once
// The one property every Tracker::find_open_each must have, whatever searches
// it sends: its answer is what find_open gives label by label; and the
// tickets the adapters' tests check it on.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "support/ticket_runs.h"
#include "tickets/tracker.h"

namespace chaosgate::test {

// Files a regression ticket of team-cart for each of `count` experiments
// "cart-exp-0", "cart-exp-1", ... (probe "probe-a"), and a second one for
// experiment number `twice` (probe "probe-b"); returns their experiment
// labels in that order.
inline std::vector<std::string> file_tickets(Tracker& tracker, int count, int twice) {
  const auto file = [&tracker](const std::string& id, const std::string& probe) {
    const auto run = TicketRunBuilder().failed(id, probe).build();
    tracker.create(compose_ticket(run, run.experiments.at(0)));
  };
  std::vector<std::string> labels;
  for (int i = 0; i < count; ++i) {
    const std::string id = "cart-exp-" + std::to_string(i);
    file(id, "probe-a");
    if (i == twice) file(id, "probe-b");
    labels.push_back(experiment_label(k_ticket_suite, id));
  }
  return labels;
}

// Appends experiment labels no ticket carries ("cg-exp-0000000000000000", ...)
// until there are `size`.
inline void pad_with_unticketed(std::vector<std::string>& labels, std::size_t size) {
  for (unsigned i = 0; labels.size() < size; ++i) {
    char label[32];
    std::snprintf(label, sizeof label, "cg-exp-%016x", i);
    labels.push_back(label);
  }
}

// Compares `found` (find_open_each's answer for `labels`) with find_open per
// label, keys and order (a label left out of `found` has none); returns how
// many tickets find_open found in all.
inline std::size_t expect_same_as_find_open(Tracker& tracker, const std::string& team, const std::vector<std::string>& labels,
                                            const std::map<std::string, std::vector<TicketRef>>& found) {
  for (const auto& [label, tickets] : found)
    EXPECT_NE(std::find(labels.begin(), labels.end(), label), labels.end()) << "answered for " << label << ", not asked for";
  std::size_t tickets = 0;
  for (const auto& label : labels) {
    const auto one_by_one = tracker.find_open(team, label);
    tickets += one_by_one.size();
    std::vector<std::string> got, expected;
    if (const auto answer = found.find(label); answer != found.end())
      for (const auto& ticket : answer->second) got.push_back(ticket.key);
    for (const auto& ticket : one_by_one) expected.push_back(ticket.key);
    EXPECT_EQ(got, expected) << label;
  }
  return tickets;
}

}  // namespace chaosgate::test
