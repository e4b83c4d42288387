#pragma once
// select_experiments over a suite whose experiments are in memory, as the
// tests build them: the selection points into the suite's outlines, so they
// travel with it (held by pointer: moving the result keeps them in place).
#include <memory>
#include <vector>

#include "plan/selection.h"

namespace chaosgate::test {

struct SelectionOfSuite : Selection {
  std::shared_ptr<const Outlines> outlines;
};

// Where the outlines a test makes one at a time keep their names: for the
// whole test run (a few names each).
inline OutlineNames& outline_names() {
  static OutlineNames names;
  return names;
}

inline SelectionOfSuite select_from(const Suite& suite, const SelectionCriteria& criteria) {
  auto outlines = std::make_shared<const Outlines>(outlines_of(suite.experiments));
  return {select_experiments(suite, outlines->list, criteria), outlines};
}

}  // namespace chaosgate::test
