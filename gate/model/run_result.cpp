#include "model/run_result.h"

#include <algorithm>
#include <ctime>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "util/sha256.h"

namespace chaosgate {

std::size_t RunResult::count(Verdict verdict) const {
  return static_cast<std::size_t>(std::count_if(experiments.begin(), experiments.end(),
                                                [&](const ExperimentResult& r) { return r.verdict == verdict; }));
}

std::string regression_fingerprint(const std::string& suite_name, const std::string& experiment_id,
                                   const std::string& probe) {
  // NUL separators: "a"+"bc" and "ab"+"c" must not collide.
  std::string key = suite_name;
  key += '\0';
  key += experiment_id;
  key += '\0';
  key += probe;
  return "cg-" + sha256_hex(key).substr(0, 16);
}

std::string format_time(TimePoint time) {
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(millis % 1000));
  return buffer;
}

TimePoint parse_time(const std::string& text) {
  std::tm utc{};
  int millis = 0;
  char zone = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c", &utc.tm_year, &utc.tm_mon, &utc.tm_mday, &utc.tm_hour,
                  &utc.tm_min, &utc.tm_sec, &millis, &zone) != 8 ||
      zone != 'Z')
    throw std::invalid_argument("malformed timestamp \"" + text + "\" (expected 2026-11-25T07:12:03.123Z)");
  utc.tm_year -= 1900;
  utc.tm_mon -= 1;
  return Clock::from_time_t(timegm(&utc)) + std::chrono::milliseconds(millis);
}

namespace {
template <typename T>
void optional_field(const nlohmann::json& in, const char* key, T& out) {
  if (const auto it = in.find(key); it != in.end() && !it->is_null()) it->get_to(out);
}
long long to_ms(std::chrono::milliseconds d) { return d.count(); }
}  // namespace

void to_json(nlohmann::json& out, const ProbeSample& v) {
  out = {{"at", format_time(v.at)}, {"ok", v.ok}, {"reached", v.reached}, {"value", v.value}, {"latencyMs", v.latency_ms}, {"observed", v.observed}};
}
void from_json(const nlohmann::json& in, ProbeSample& v) {
  v.at = parse_time(in.at("at").get<std::string>());
  in.at("ok").get_to(v.ok);
  optional_field(in, "reached", v.reached);
  optional_field(in, "value", v.value);
  optional_field(in, "latencyMs", v.latency_ms);
  optional_field(in, "observed", v.observed);
}

void to_json(nlohmann::json& out, const ProbeResult& v) {
  out = {{"probe", v.probe},       {"phase", v.phase},     {"ok", v.ok},
         {"expected", v.expected}, {"observed", v.observed}, {"started", format_time(v.started)},
         {"durationMs", to_ms(v.duration)}, {"samples", v.samples}};
}
void from_json(const nlohmann::json& in, ProbeResult& v) {
  in.at("probe").get_to(v.probe);
  in.at("phase").get_to(v.phase);
  in.at("ok").get_to(v.ok);
  optional_field(in, "expected", v.expected);
  optional_field(in, "observed", v.observed);
  v.started = parse_time(in.at("started").get<std::string>());
  v.duration = std::chrono::milliseconds(in.value("durationMs", 0LL));
  optional_field(in, "samples", v.samples);
}

void to_json(nlohmann::json& out, const ActionRecord& v) {
  out = {{"action", v.action}, {"rollback", v.rollback}, {"ok", v.ok}, {"detail", v.detail},
         {"started", format_time(v.started)}, {"durationMs", to_ms(v.duration)}};
}
void from_json(const nlohmann::json& in, ActionRecord& v) {
  in.at("action").get_to(v.action);
  optional_field(in, "rollback", v.rollback);
  in.at("ok").get_to(v.ok);
  optional_field(in, "detail", v.detail);
  v.started = parse_time(in.at("started").get<std::string>());
  v.duration = std::chrono::milliseconds(in.value("durationMs", 0LL));
}

void to_json(nlohmann::json& out, const Attempt& v) {
  out = {{"number", v.number}, {"verdict", v.verdict}, {"reason", v.reason}, {"started", format_time(v.started)},
         {"durationMs", to_ms(v.duration)}, {"probes", v.probes}, {"actions", v.actions}};
}
void from_json(const nlohmann::json& in, Attempt& v) {
  in.at("number").get_to(v.number);
  in.at("verdict").get_to(v.verdict);
  optional_field(in, "reason", v.reason);
  v.started = parse_time(in.at("started").get<std::string>());
  v.duration = std::chrono::milliseconds(in.value("durationMs", 0LL));
  optional_field(in, "probes", v.probes);
  optional_field(in, "actions", v.actions);
}

void to_json(nlohmann::json& out, const ExperimentInfo& v) {
  nlohmann::json follow_up = nlohmann::json::array();
  for (const auto& [title, description] : v.follow_up) follow_up.push_back({{"title", title}, {"description", description}});
  out = {{"id", v.id},
         {"title", v.title},
         {"owner", v.owner},
         {"service", v.service},
         {"targets", v.targets},
         {"hypothesis", v.hypothesis},
         {"incidentCategory", v.incident_category},
         {"incidentCategoryTitle", v.incident_category_title},
         {"incidents", v.incidents},
         {"attackGroup", v.attack_group},
         {"preparationCost", v.preparation_cost},
         {"status", v.status},
         {"risk", {{"likelihood", v.likelihood}, {"impact", v.impact}, {"score", v.likelihood * v.impact}, {"level", v.risk_level}}},
         {"tags", v.tags},
         {"followUp", follow_up},
         {"location", {{"file", v.location.file}, {"line", v.location.line}, {"column", v.location.column}}},
         {"definitionDigest", v.definition_digest}};
}
void from_json(const nlohmann::json& in, ExperimentInfo& v) {
  in.at("id").get_to(v.id);
  optional_field(in, "title", v.title);
  optional_field(in, "owner", v.owner);
  optional_field(in, "service", v.service);
  optional_field(in, "targets", v.targets);
  optional_field(in, "hypothesis", v.hypothesis);
  optional_field(in, "incidentCategory", v.incident_category);
  optional_field(in, "incidentCategoryTitle", v.incident_category_title);
  optional_field(in, "incidents", v.incidents);
  optional_field(in, "attackGroup", v.attack_group);
  optional_field(in, "preparationCost", v.preparation_cost);
  optional_field(in, "status", v.status);
  if (in.contains("risk")) {
    const auto& risk = in.at("risk");
    risk.at("likelihood").get_to(v.likelihood);
    risk.at("impact").get_to(v.impact);
    risk.at("level").get_to(v.risk_level);
  }
  optional_field(in, "tags", v.tags);
  if (in.contains("followUp"))
    for (const auto& task : in.at("followUp")) v.follow_up.emplace_back(task.at("title").get<std::string>(), task.value("description", ""));
  if (in.contains("location")) {
    const auto& location = in.at("location");
    v.location = {location.value("file", ""), location.value("line", 0), location.value("column", 0)};
  }
  optional_field(in, "definitionDigest", v.definition_digest);
}

void to_json(nlohmann::json& out, const ExperimentResult& v) {
  out = {{"experiment", v.experiment}, {"verdict", v.verdict},   {"reason", v.reason},
         {"deviatedProbe", v.deviated_probe}, {"expected", v.expected}, {"observed", v.observed},
         {"fingerprint", v.fingerprint}, {"started", format_time(v.started)}, {"durationMs", to_ms(v.duration)},
         {"attempts", v.attempts}};
}
void from_json(const nlohmann::json& in, ExperimentResult& v) {
  in.at("experiment").get_to(v.experiment);
  in.at("verdict").get_to(v.verdict);
  optional_field(in, "reason", v.reason);
  optional_field(in, "deviatedProbe", v.deviated_probe);
  optional_field(in, "expected", v.expected);
  optional_field(in, "observed", v.observed);
  optional_field(in, "fingerprint", v.fingerprint);
  v.started = parse_time(in.at("started").get<std::string>());
  v.duration = std::chrono::milliseconds(in.value("durationMs", 0LL));
  optional_field(in, "attempts", v.attempts);
}

void to_json(nlohmann::json& out, const RunResult& v) {
  out = {{"schema_version", RunResult::k_schema_version},
         {"runId", v.run_id},
         {"tool", {{"name", "chaosgate"}, {"version", v.tool_version}}},
         {"suite", {{"name", v.suite_name}, {"version", v.suite_version}, {"digest", v.suite_digest}, {"files", v.suite_files}}},
         {"environment", {{"name", v.environment}, {"production", v.production}}},
         {"shard", v.shard},
         {"commandLine", v.command_line},
         {"ci", {{"system", v.ci.system}, {"values", v.ci.values}}},
         {"started", format_time(v.started)},
         {"finished", format_time(v.finished)},
         {"preflightProblems", v.preflight_problems},
         {"gate", {{"decision", v.gate}, {"reason", v.gate_reason}, {"exitCode", v.exit_code}}},
         {"experiments", v.experiments}};
}
void from_json(const nlohmann::json& in, RunResult& v) {
  const int version = in.at("schema_version").get<int>();
  if (version != RunResult::k_schema_version)
    throw std::runtime_error("journal schema_version " + std::to_string(version) + " is not supported (this chaosgate reads " +
                             std::to_string(RunResult::k_schema_version) + ")");
  in.at("runId").get_to(v.run_id);
  v.tool_version = in.at("tool").value("version", "");
  const auto& suite = in.at("suite");
  suite.at("name").get_to(v.suite_name);
  v.suite_version = suite.value("version", "");
  suite.at("digest").get_to(v.suite_digest);
  optional_field(suite, "files", v.suite_files);
  v.environment = in.at("environment").at("name").get<std::string>();
  v.production = in.at("environment").value("production", false);
  optional_field(in, "shard", v.shard);
  optional_field(in, "commandLine", v.command_line);
  if (in.contains("ci")) {
    v.ci.system = in.at("ci").value("system", "");
    optional_field(in.at("ci"), "values", v.ci.values);
  }
  v.started = parse_time(in.at("started").get<std::string>());
  v.finished = parse_time(in.at("finished").get<std::string>());
  optional_field(in, "preflightProblems", v.preflight_problems);
  const auto& gate = in.at("gate");
  gate.at("decision").get_to(v.gate);
  v.gate_reason = gate.value("reason", "");
  v.exit_code = gate.value("exitCode", 0);
  in.at("experiments").get_to(v.experiments);
}

}  // namespace chaosgate
