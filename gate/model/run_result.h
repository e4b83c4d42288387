#pragma once
// What a gate run found: per experiment the verdict, every probe result and
// sample, every action and rollback, with timestamps. This is the journal's
// content (journal.json): self-contained, so reports, `merge` and `promote`
// need nothing but it (and never the suite) to do their work.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "model/enums.h"
#include "model/source_location.h"
#include "model/text_list.h"

namespace chaosgate {

class ResultStore;

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;  // serialised as RFC 3339 UTC with milliseconds

// A byte: `run` holds one for each experiment to its end.
enum class Verdict : std::uint8_t { passed, failed, flaky, error, skipped, aborted };
NLOHMANN_JSON_SERIALIZE_ENUM(Verdict, {{Verdict::passed, "passed"},
                                       {Verdict::failed, "failed"},
                                       {Verdict::flaky, "flaky"},
                                       {Verdict::error, "error"},
                                       {Verdict::skipped, "skipped"},
                                       {Verdict::aborted, "aborted"}})

enum class Phase { before, during, after, stop_condition };
NLOHMANN_JSON_SERIALIZE_ENUM(Phase, {{Phase::before, "before"},
                                     {Phase::during, "during"},
                                     {Phase::after, "after"},
                                     {Phase::stop_condition, "stop-condition"}})

// One observation of a probe.
struct ProbeSample {
  TimePoint at;
  bool ok = false;
  bool reached = false;  // the system answered at all (a latency was measured)
  double value = 0;      // the measured quantity: latency ms (http/tcp), exit code, PromQL value
  double latency_ms = 0; // how long the probe took
  std::string observed;  // short text: "HTTP 503", "connection refused", "0.031"
};

// A probe judged once (before/after) or over its samples (during).
struct ProbeResult {
  std::string probe;  // the probe's name
  Phase phase = Phase::before;
  bool ok = false;
  std::string expected;  // "status 200, latency <= 500ms" / "success ratio >= 0.95, p95 <= 800ms"
  std::string observed;  // "status 503 after 12 ms" / "success ratio 0.71 (71/100), p95 1240ms"
  std::vector<ProbeSample> samples;
  TimePoint started;
  std::chrono::milliseconds duration{0};
};

struct ActionRecord {
  std::string action;    // the action's name
  bool rollback = false; // true: undoing a fault (or an experiment-wide cleanup)
  bool ok = false;
  std::string detail;    // "exit 0", "HTTP 204", "SIGSTOP -> pid 4242", the error
  TimePoint started;
  std::chrono::milliseconds duration{0};
};

struct Attempt {
  int number = 1;
  Verdict verdict = Verdict::passed;
  std::string reason;
  std::vector<ProbeResult> probes;
  std::vector<ActionRecord> actions;
  TimePoint started;
  std::chrono::milliseconds duration{0};
};

// The experiment as the reports need it (copied from the suite).
struct ExperimentInfo {
  std::string id;
  std::string title;
  std::string owner;
  std::string service;
  std::vector<std::string> targets;
  std::string hypothesis;
  std::string incident_category;
  std::string incident_category_title;
  std::vector<std::string> incidents;  // linked incident ids of the category
  AttackGroup attack_group = AttackGroup::application;
  PreparationCost preparation_cost = PreparationCost::low;
  LifecycleStatus status = LifecycleStatus::promoted;
  int likelihood = 1;
  int impact = 1;
  RiskLevel risk_level = RiskLevel::low;
  std::vector<std::string> tags;
  std::vector<std::pair<std::string, std::string>> follow_up;  // title, description
  SourceLocation location;  // where the experiment is written in the suite
  std::string definition_digest;  // sha256 of the experiment's definition, for promotion
};

struct ExperimentResult {
  ExperimentInfo experiment;
  Verdict verdict = Verdict::skipped;
  std::string reason;          // one line, e.g. "cart-reads-during-stall: success ratio 0.71, expected >= 0.95"
  std::string deviated_probe;  // name of the probe that decided a failure; empty otherwise
  std::string expected;        // of that probe
  std::string observed;        // of that probe
  std::string fingerprint;     // set for failed / flaky / error: stable across runs
  std::vector<Attempt> attempts;
  TimePoint started;
  std::chrono::milliseconds duration{0};

  bool is_regression() const { return verdict == Verdict::failed; }
};

struct CiContext {
  std::string system;  // "gitlab", "github", "jenkins", "local"
  std::map<std::string, std::string> values;  // commit, ref, mr, pipeline_url, job_url, project, ...
};

// An incident category of the suite's catalog and the promoted experiments
// that cover it, as the suite stood at the run: the summary's coverage section
// needs the categories nothing covers, which no experiment result names.
struct CategoryCoverageRecord {
  std::string id;
  std::string title;
  std::vector<std::string> incidents;
  TextList experiments;  // promoted, suite order; empty: a blind spot
};

struct RunResult {
  static constexpr int k_schema_version = 1;
  std::string run_id;  // unique per run
  std::string tool_version;
  std::string suite_name;
  std::string suite_version;
  std::string suite_digest;
  std::vector<std::string> suite_files;
  std::string environment;
  bool production = false;
  std::string shard;         // "2/3" or empty
  bool drill = false;        // `chaosgate drill`: a replay, not a release gate
  std::string command_line;  // redacted
  CiContext ci;
  TimePoint started;
  TimePoint finished;
  std::vector<std::string> preflight_problems;  // non-empty: nothing was injected
  // What went wrong around the verdict without changing it: a commit status
  // not published, a ticket queued or not filed. Shown under the verdict.
  std::vector<std::string> notices;
  std::vector<ExperimentResult> experiments;    // plan order; empty when result_store is set
  // `chaosgate run`: the results, kept outside memory while the reports are
  // made. Read a run's results through ExperimentResults, which serves both.
  std::shared_ptr<const ResultStore> result_store;
  std::vector<CategoryCoverageRecord> incident_coverage;  // blind spots first; empty in older journals
  std::string gate;        // "passed", "failed", "inconclusive", "interrupted"
  std::string gate_reason; // one line: "1 regression: cart-survives-redis-pause"
  int exit_code = 0;

  std::size_t count(Verdict verdict) const;  // of the experiments, wherever they are
};

// Stable id of a regression: suite + experiment id + deviated probe.
std::string regression_fingerprint(const std::string& suite_name, const std::string& experiment_id,
                                   const std::string& probe);

std::string format_time(TimePoint time);  // "2026-11-25T07:12:03.123Z"
TimePoint parse_time(const std::string& text);  // inverse; throws std::invalid_argument when malformed
// to - from, in milliseconds. A journal may hold times up to 583 years apart
// (parse_time's range); their difference in TimePoint's 64-bit nanoseconds
// would overflow, so each is cut to milliseconds first.
std::chrono::milliseconds milliseconds_between(TimePoint from, TimePoint to);

void to_json(nlohmann::json& out, const ProbeSample& value);
void from_json(const nlohmann::json& in, ProbeSample& value);
void to_json(nlohmann::json& out, const ProbeResult& value);
void from_json(const nlohmann::json& in, ProbeResult& value);
void to_json(nlohmann::json& out, const ActionRecord& value);
void from_json(const nlohmann::json& in, ActionRecord& value);
void to_json(nlohmann::json& out, const Attempt& value);
void from_json(const nlohmann::json& in, Attempt& value);
void to_json(nlohmann::json& out, const ExperimentInfo& value);
void from_json(const nlohmann::json& in, ExperimentInfo& value);
void to_json(nlohmann::json& out, const ExperimentResult& value);
void from_json(const nlohmann::json& in, ExperimentResult& value);
void to_json(nlohmann::json& out, const RunResult& value);
// Everything of a run but its experiments ("experiments" is an empty array):
// lets the journal be written and read one experiment at a time. With
// `CoverageIds::left_out` each incident category's "experiments" is empty
// too: the journal writes those ids from the run (one per experiment: at
// 10,000 they were ~1 MB as JSON values and their text).
enum class CoverageIds { included, left_out };
nlohmann::json run_header_json(const RunResult& value, CoverageIds ids = CoverageIds::included);
// Throws nlohmann::json::exception on a malformed journal, and std::runtime_error
// for a schema_version this build cannot read.
void from_json(const nlohmann::json& in, RunResult& value);

}  // namespace chaosgate
