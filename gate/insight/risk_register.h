#pragma once
// The risk register: every experiment of a suite with its risk (as the suite
// states it, raised by a current run of regressions) and how it fared across
// gate runs, read from their journals. Pure: the caller reads the files.
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model/run_result.h"
#include "model/suite.h"

namespace chaosgate::insight {

// How an experiment fared in one run. `never_run` only as a current status:
// no journal judged the experiment.
enum class RunStatus { held, regressed, flaky, error, aborted, never_run };

// The status of a verdict; nullopt for `skipped` (the experiment did not run).
std::optional<RunStatus> run_status(Verdict verdict);
// "held", "regressed", "flaky", "error", "aborted", "never run".
std::string status_name(RunStatus status);
// One letter for the compact trend: P held, F regressed, K flaky, E error,
// A aborted; '-' for never_run.
char trend_letter(RunStatus status);

// The newest judged run against the one before it.
enum class Direction { unknown, better, worse, steady };
std::string direction_name(Direction direction);  // "unknown", "better", "worse", "steady"

// The rule for regressed experiments: likelihood + the number of consecutive
// regressions ending with the newest run that judged the experiment, at most 5.
int raised_likelihood(int likelihood, int regression_streak);
inline constexpr const char* k_likelihood_rule =
    "the suite's likelihood + 1 per consecutive regression ending with the newest run that judged the experiment, at most 5";

struct RiskEntry {
  std::string id;
  std::string title;
  std::string service;
  std::string owner;
  std::string incident_category;
  AttackGroup attack_group = AttackGroup::application;
  LifecycleStatus lifecycle = LifecycleStatus::draft;
  int suite_likelihood = 1;  // as written in the suite
  int likelihood = 1;        // raised by `regression_streak`
  int impact = 1;
  int score = 1;                       // likelihood x impact
  RiskLevel level = RiskLevel::low;    // through the suite's risk matrix
  RunStatus status = RunStatus::never_run;  // in the newest run that judged it
  std::vector<std::optional<RunStatus>> history;  // one per run, oldest first; nullopt: absent or skipped
  int regression_streak = 0;
  Direction direction = Direction::unknown;
  std::vector<std::string> open_tickets;  // keys, sorted

  // The compact trend, one letter per run: "P P F"; "-" marks a run that did
  // not judge it; empty when there were no runs.
  std::string trend() const;
};

struct ServiceRollup {
  std::string service;
  int experiments = 0;
  std::optional<RiskLevel> highest;  // nullopt: the service has no experiment
  std::map<RunStatus, int> statuses;  // every RunStatus is present, zero included
};

struct RunReference {
  std::string run_id;
  TimePoint started;
  std::string environment;
};

struct RiskRegister {
  std::string suite_name;
  std::string suite_version;
  std::string suite_digest;
  std::vector<RunReference> runs;      // oldest first
  std::vector<RiskEntry> entries;      // highest level first, then score, then id
  std::vector<ServiceRollup> services; // catalog order
};

// `runs` must be oldest first and of `suite` (the caller checks the suite
// name). Results of experiments the suite no longer has are ignored.
// `open_tickets`: experiment id -> open ticket keys (may be empty).
RiskRegister build_risk_register(const Suite& suite, const std::vector<RunResult>& runs,
                                 const std::map<std::string, std::vector<std::string>>& open_tickets);

// Stable camelCase keys; see risks_command.cpp for the document's shape.
void to_json(nlohmann::json& out, const RiskRegister& value);

// RFC 4180: a header line, then one line per entry, CRLF line ends.
std::string to_csv(const RiskRegister& value);

}  // namespace chaosgate::insight
