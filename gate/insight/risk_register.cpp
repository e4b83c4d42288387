#include "insight/risk_register.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "insight/csv.h"
#include "model/results_by_id.h"
#include "util/text.h"

namespace chaosgate::insight {

namespace {

constexpr RunStatus k_all_statuses[] = {RunStatus::held,  RunStatus::regressed, RunStatus::flaky,
                                        RunStatus::error, RunStatus::aborted,   RunStatus::never_run};

// How bad a status is, for the direction: any trouble short of a regression
// ranks between holding and regressing.
int badness(RunStatus status) {
  switch (status) {
    case RunStatus::held: return 0;
    case RunStatus::regressed: return 2;
    default: return 1;
  }
}

Direction direction_of(const std::vector<std::optional<RunStatus>>& history) {
  std::vector<RunStatus> judged;
  for (const auto& status : history)
    if (status) judged.push_back(*status);
  if (judged.size() < 2) return Direction::unknown;
  const int now = badness(judged.back());
  const int before = badness(judged[judged.size() - 2]);
  return now < before ? Direction::better : now > before ? Direction::worse : Direction::steady;
}

int regression_streak_of(const std::vector<std::optional<RunStatus>>& history) {
  int streak = 0;
  for (auto it = history.rbegin(); it != history.rend(); ++it) {
    if (!*it) continue;  // a run that did not judge it neither breaks nor extends the streak
    if (**it != RunStatus::regressed) break;
    ++streak;
  }
  return streak;
}

RiskEntry make_entry(const Suite& suite, const Experiment& experiment, const std::vector<ResultsById>& runs,
                     const std::map<std::string, std::vector<std::string>>& open_tickets) {
  RiskEntry entry;
  entry.id = experiment.id;
  entry.title = experiment.title;
  entry.service = experiment.service;
  entry.owner = experiment.owner;
  entry.incident_category = experiment.incident_category;
  entry.attack_group = experiment.attack_group;
  entry.lifecycle = experiment.status;
  entry.suite_likelihood = experiment.risk.likelihood;
  entry.impact = experiment.risk.impact;
  for (const auto& run : runs) {
    const ExperimentResult* result = run.find(experiment.id);
    entry.history.push_back(result ? run_status(result->verdict) : std::nullopt);
  }
  for (const auto& status : entry.history)
    if (status) entry.status = *status;
  entry.regression_streak = regression_streak_of(entry.history);
  entry.direction = direction_of(entry.history);
  entry.likelihood = raised_likelihood(entry.suite_likelihood, entry.regression_streak);
  entry.score = entry.likelihood * entry.impact;
  entry.level = suite.catalog.risk_matrix.level(entry.likelihood, entry.impact);
  if (const auto it = open_tickets.find(experiment.id); it != open_tickets.end()) {
    entry.open_tickets = it->second;
    std::sort(entry.open_tickets.begin(), entry.open_tickets.end());
  }
  return entry;
}

ServiceRollup rollup(const std::string& service, const std::vector<RiskEntry>& entries) {
  ServiceRollup result;
  result.service = service;
  for (const RunStatus status : k_all_statuses) result.statuses[status] = 0;
  for (const auto& entry : entries) {
    if (entry.service != service) continue;
    ++result.experiments;
    ++result.statuses[entry.status];
    if (!result.highest || entry.level > *result.highest) result.highest = entry.level;
  }
  return result;
}

}  // namespace

std::optional<RunStatus> run_status(Verdict verdict) {
  switch (verdict) {
    case Verdict::passed: return RunStatus::held;
    case Verdict::failed: return RunStatus::regressed;
    case Verdict::flaky: return RunStatus::flaky;
    case Verdict::error: return RunStatus::error;
    case Verdict::aborted: return RunStatus::aborted;
    case Verdict::skipped: return std::nullopt;
  }
  return std::nullopt;
}

std::string status_name(RunStatus status) {
  switch (status) {
    case RunStatus::held: return "held";
    case RunStatus::regressed: return "regressed";
    case RunStatus::flaky: return "flaky";
    case RunStatus::error: return "error";
    case RunStatus::aborted: return "aborted";
    case RunStatus::never_run: return "never run";
  }
  return "never run";
}

char trend_letter(RunStatus status) {
  switch (status) {
    case RunStatus::held: return 'P';
    case RunStatus::regressed: return 'F';
    case RunStatus::flaky: return 'K';
    case RunStatus::error: return 'E';
    case RunStatus::aborted: return 'A';
    case RunStatus::never_run: return '-';
  }
  return '-';
}

std::string direction_name(Direction direction) {
  switch (direction) {
    case Direction::unknown: return "unknown";
    case Direction::better: return "better";
    case Direction::worse: return "worse";
    case Direction::steady: return "steady";
  }
  return "unknown";
}

int raised_likelihood(int likelihood, int regression_streak) {
  return std::clamp(likelihood + std::max(regression_streak, 0), 1, 5);
}

std::string RiskEntry::trend() const {
  std::string text;
  for (const auto& run : history) {
    if (!text.empty()) text += ' ';
    text += run ? trend_letter(*run) : '-';
  }
  return text;
}

RiskRegister build_risk_register(const Suite& suite, const std::vector<RunResult>& runs,
                                 const std::map<std::string, std::vector<std::string>>& open_tickets) {
  RiskRegister result;
  result.suite_name = suite.name;
  result.suite_version = suite.version;
  result.suite_digest = suite.digest;
  std::vector<ResultsById> indexed;
  for (const auto& run : runs) {
    result.runs.push_back({run.run_id, run.started, run.environment});
    indexed.emplace_back(run);
  }
  for (const auto& experiment : suite.experiments)
    result.entries.push_back(make_entry(suite, experiment, indexed, open_tickets));
  std::stable_sort(result.entries.begin(), result.entries.end(), [](const RiskEntry& a, const RiskEntry& b) {
    if (a.level != b.level) return a.level > b.level;
    if (a.score != b.score) return a.score > b.score;
    return a.id < b.id;
  });
  for (const auto& service : suite.catalog.services) result.services.push_back(rollup(service.id, result.entries));
  return result;
}

void to_json(nlohmann::json& out, const RiskRegister& value) {
  out = nlohmann::json::object();
  out["suite"] = {{"name", value.suite_name}, {"version", value.suite_version}, {"digest", value.suite_digest}};
  out["likelihoodRule"] = k_likelihood_rule;
  out["runs"] = nlohmann::json::array();
  for (const auto& run : value.runs)
    out["runs"].push_back({{"runId", run.run_id}, {"started", format_time(run.started)}, {"environment", run.environment}});
  out["experiments"] = nlohmann::json::array();
  for (const auto& e : value.entries) {
    nlohmann::json history = nlohmann::json::array();
    for (const auto& status : e.history) history.push_back(status ? nlohmann::json(status_name(*status)) : nlohmann::json());
    out["experiments"].push_back({{"id", e.id},
                                  {"title", e.title},
                                  {"service", e.service},
                                  {"owner", e.owner},
                                  {"attackGroup", e.attack_group},
                                  {"incidentCategory", e.incident_category},
                                  {"lifecycle", e.lifecycle},
                                  {"risk",
                                   {{"suiteLikelihood", e.suite_likelihood},
                                    {"likelihood", e.likelihood},
                                    {"impact", e.impact},
                                    {"score", e.score},
                                    {"level", e.level}}},
                                  {"status", status_name(e.status)},
                                  {"trend", {{"runs", history}, {"compact", e.trend()}, {"direction", direction_name(e.direction)}}},
                                  {"regressionStreak", e.regression_streak},
                                  {"openTickets", e.open_tickets}});
  }
  out["services"] = nlohmann::json::array();
  for (const auto& s : value.services) {
    nlohmann::json statuses = nlohmann::json::object();
    for (const auto& [status, count] : s.statuses) statuses[status_name(status)] = count;
    out["services"].push_back({{"service", s.service},
                               {"experiments", s.experiments},
                               {"highestLevel", s.highest ? nlohmann::json(*s.highest) : nlohmann::json()},
                               {"statuses", statuses}});
  }
}

std::string to_csv(const RiskRegister& value) {
  std::string text = csv_record({"id", "title", "service", "owner", "attack_group", "incident_category", "lifecycle",
                                 "suite_likelihood", "likelihood", "impact", "score", "level", "status", "trend",
                                 "direction", "open_tickets"});
  for (const auto& e : value.entries)
    text += csv_record({e.id, e.title, e.service, e.owner, enum_name(e.attack_group), e.incident_category,
                        enum_name(e.lifecycle), std::to_string(e.suite_likelihood), std::to_string(e.likelihood),
                        std::to_string(e.impact), std::to_string(e.score), enum_name(e.level), status_name(e.status),
                        e.trend(), direction_name(e.direction), join(e.open_tickets, " ")});
  return text;
}

}  // namespace chaosgate::insight
