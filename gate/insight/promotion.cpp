#include "insight/promotion.h"

#include <algorithm>
#include <filesystem>

#include "engine/experiment_info.h"
#include "model/results_by_id.h"
#include "util/text.h"

namespace chaosgate::insight {

namespace {

std::string short_name(const std::string& file) {
  const std::filesystem::path path(file);
  // ".../run-3/journal.json" says less than "run-3/journal.json".
  if (path.filename() == "journal.json" && path.has_parent_path() && !path.parent_path().filename().empty())
    return (path.parent_path().filename() / path.filename()).string();
  return path.filename().string();
}

// Walks the journals newest first while `counts` holds for the experiment's
// result there; returns the streak's files (newest first) and, when it ended,
// why.
struct Streak {
  std::vector<std::string> files;
  std::string broken_by;  // empty when it runs through every journal
};

template <typename Counts>
Streak streak_of(const std::string& id, const std::string& digest, const std::vector<JournalRun>& journals,
                 const std::vector<ResultsById>& results, Counts counts) {
  Streak streak;
  for (std::size_t k = journals.size(); k-- > 0;) {
    const std::string file = short_name(journals[k].file);
    const ExperimentResult* result = results[k].find(id);
    if (!result || result->verdict == Verdict::skipped) {
      streak.broken_by = "not run in " + file;
    } else if (result->experiment.definition_digest != digest) {
      streak.broken_by = "definition changed since " + file;
    } else if (!counts(result->verdict)) {
      streak.broken_by = enum_name(result->verdict) + " in " + file;
    } else {
      streak.files.push_back(file);
      continue;
    }
    break;
  }
  return streak;
}

std::string oldest_first(std::vector<std::string> files) {
  std::reverse(files.begin(), files.end());
  return join(files, ", ");
}

}  // namespace

std::vector<std::string> refused_journals(const Suite& suite, const std::vector<JournalRun>& journals) {
  std::vector<std::string> refused;
  for (const auto& journal : journals) {
    const RunResult& run = journal.run;
    if (run.suite_name != suite.name) {
      refused.push_back(journal.file + ": a journal of suite " + in_quotes(run.suite_name) + ", not of " +
                        in_quotes(suite.name));
    } else if (run.production) {
      refused.push_back(journal.file + ": a run in the production environment " + in_quotes(run.environment) +
                        "; promotion counts test-environment runs only");
    } else if (!run.preflight_problems.empty()) {
      refused.push_back(journal.file + ": preflight failed (" + run.preflight_problems.front() +
                        "), nothing was judged");
    } else if (run.gate == "interrupted" || run.gate == "inconclusive") {
      refused.push_back(journal.file + ": the run was " + run.gate + " (" + run.gate_reason + ")");
    }
  }
  return refused;
}

PromotionPlan plan_promotion(const Suite& suite, const std::vector<JournalRun>& journals, const PromotionRules& rules) {
  PromotionPlan plan;
  std::vector<ResultsById> results;  // per journal
  for (const auto& journal : journals) results.emplace_back(journal.run);
  for (const auto& experiment : suite.experiments) {
    // No location when the status is the default, not written: --write then refuses it.
    const SourceLocation at = experiment.field_locations.find(LocatedField::status).value_or(SourceLocation{});
    const std::string digest = definition_digest(experiment);
    if (experiment.status == LifecycleStatus::candidate) {
      const Streak passes =
          streak_of(experiment.id, digest, journals, results, [](Verdict v) { return v == Verdict::passed; });
      const int count = static_cast<int>(passes.files.size());
      if (count >= rules.min_passes) {
        std::vector<std::string> last(passes.files.begin(), passes.files.begin() + rules.min_passes);
        plan.changes.push_back({experiment.id, LifecycleStatus::candidate, LifecycleStatus::promoted, at,
                                "passed in the last " + std::to_string(rules.min_passes) + " runs (" +
                                    oldest_first(last) + ")"});
      } else {
        std::string reason = std::to_string(count) + " of " + std::to_string(rules.min_passes) + " consecutive passes";
        if (!passes.broken_by.empty()) reason += " (" + passes.broken_by + ")";
        else reason += ": only " + std::to_string(journals.size()) + " run(s) given";
        plan.unchanged.push_back({experiment.id, experiment.status, reason});
      }
    } else if (experiment.status == LifecycleStatus::promoted) {
      const Streak regressions =
          streak_of(experiment.id, digest, journals, results, [](Verdict v) { return v == Verdict::failed; });
      const int count = static_cast<int>(regressions.files.size());
      if (count >= rules.demote_after) {
        std::vector<std::string> last(regressions.files.begin(), regressions.files.begin() + rules.demote_after);
        plan.changes.push_back({experiment.id, LifecycleStatus::promoted, LifecycleStatus::candidate, at,
                                "regressed in the last " + std::to_string(rules.demote_after) + " runs (" +
                                    oldest_first(last) + "): back to candidate until it is green again"});
      }
    }
  }
  return plan;
}

}  // namespace chaosgate::insight
