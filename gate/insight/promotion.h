#pragma once
// Promotion: which candidate experiments have earned a place in the green
// suite (passed in each of the last N test-environment runs, unchanged since),
// and which promoted ones regressed often enough to go back to candidate.
// Pure: the caller reads the journals and applies the changes.
#include <string>
#include <vector>

#include "model/run_result.h"
#include "model/suite.h"

namespace chaosgate::insight {

struct PromotionRules {
  int min_passes = 3;     // consecutive passing runs that promote a candidate
  int demote_after = 2;   // consecutive regressions that send a promoted experiment back
};

struct JournalRun {
  std::string file;  // for messages
  RunResult run;
};

// One proposed change of an experiment's lifecycle status.
struct StatusChange {
  std::string experiment;
  LifecycleStatus from = LifecycleStatus::candidate;
  LifecycleStatus to = LifecycleStatus::promoted;
  SourceLocation at;   // where the status value is written; line 0 when it is not written
  std::string reason;  // "passed in the last 3 runs (a.json, b.json, c.json)"
};

// A candidate (or regressing promoted experiment) left as it is, and why.
struct Unchanged {
  std::string experiment;
  LifecycleStatus status = LifecycleStatus::candidate;
  std::string reason;  // "2 of 3 passes: needs 1 more", "definition changed since b.json"
};

struct PromotionPlan {
  std::vector<StatusChange> changes;  // suite order
  std::vector<Unchanged> unchanged;   // candidates not promoted, suite order
};

// Journals a promotion cannot count, each with why: of another suite, run in
// production, with preflight problems or interrupted (nothing was judged).
// Empty when all can be used.
std::vector<std::string> refused_journals(const Suite& suite, const std::vector<JournalRun>& journals);

// `journals` oldest first and all accepted by refused_journals(). An
// experiment's run counts only when its definition digest is the suite's
// current one: a changed probe or action has not been proven yet.
PromotionPlan plan_promotion(const Suite& suite, const std::vector<JournalRun>& journals, const PromotionRules& rules);

}  // namespace chaosgate::insight
