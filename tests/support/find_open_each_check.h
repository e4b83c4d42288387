#pragma once
// The one property every Tracker::find_open_each must have, whatever searches
// it sends: its answer is what find_open gives label by label.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "tickets/tracker.h"

namespace chaosgate::test {

// Compares `found` (find_open_each's answer for `labels`) with find_open per
// label, keys and order; returns how many tickets find_open found in all.
inline std::size_t expect_same_as_find_open(Tracker& tracker, const std::string& team, const std::vector<std::string>& labels,
                                            const std::map<std::string, std::vector<TicketRef>>& found) {
  EXPECT_EQ(found.size(), labels.size());
  std::size_t tickets = 0;
  for (const auto& label : labels) {
    const auto one_by_one = tracker.find_open(team, label);
    tickets += one_by_one.size();
    const auto answer = found.find(label);
    if (answer == found.end()) {
      ADD_FAILURE() << "no answer for " << label;
      continue;
    }
    std::vector<std::string> got, expected;
    for (const auto& ticket : answer->second) got.push_back(ticket.key);
    for (const auto& ticket : one_by_one) expected.push_back(ticket.key);
    EXPECT_EQ(got, expected) << label;
  }
  return tickets;
}

}  // namespace chaosgate::test
