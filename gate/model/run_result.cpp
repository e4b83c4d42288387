#include "model/run_result.h"

#include <algorithm>
#include <ctime>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "model/experiment_results.h"
#include "model/run_result_decode.h"
#include "util/sha256.h"

namespace chaosgate {

std::size_t RunResult::count(Verdict verdict) const {
  const ExperimentResults results(*this);
  std::size_t n = 0;
  for (std::size_t i = 0; i < results.size(); ++i) n += results.verdict(i) == verdict ? 1 : 0;
  return n;
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

// Both run once per probe sample (hundreds of thousands in a large journal),
// so they do the calendar arithmetic themselves instead of going through
// gmtime_r/snprintf and sscanf/timegm.
std::string format_time(TimePoint time) {
  using namespace std::chrono;
  const auto millis = floor<milliseconds>(time.time_since_epoch());
  const auto days = floor<std::chrono::days>(millis);
  const year_month_day date{sys_days(days)};
  const hh_mm_ss clock{millis - days};
  const int year = static_cast<int>(date.year());
  if (year < 0 || year > 9999) return "0000-01-01T00:00:00.000Z";
  std::string out = "0000-00-00T00:00:00.000Z";
  const auto put = [&out](std::size_t at, int width, long long value) {
    for (int i = width - 1; i >= 0; --i, value /= 10) out[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
  };
  put(0, 4, year);
  put(5, 2, static_cast<unsigned>(date.month()));
  put(8, 2, static_cast<unsigned>(date.day()));
  put(11, 2, clock.hours().count());
  put(14, 2, clock.minutes().count());
  put(17, 2, clock.seconds().count());
  put(20, 3, clock.subseconds().count());
  return out;
}

std::chrono::milliseconds milliseconds_between(TimePoint from, TimePoint to) {
  using std::chrono::milliseconds;
  return std::chrono::floor<milliseconds>(to) - std::chrono::floor<milliseconds>(from);
}

TimePoint parse_time(const std::string& text) {
  using namespace std::chrono;
  // Exactly the shape format_time writes: 2026-11-25T07:12:03.123Z.
  constexpr std::string_view shape = "dddd-dd-ddTdd:dd:dd.dddZ";
  bool well_formed = text.size() == shape.size();
  for (std::size_t i = 0; well_formed && i < shape.size(); ++i)
    well_formed = shape[i] == 'd' ? text[i] >= '0' && text[i] <= '9' : text[i] == shape[i];
  const auto number = [&text](std::size_t at, std::size_t width) {
    int value = 0;
    for (std::size_t i = 0; i < width; ++i) value = value * 10 + (text[at + i] - '0');
    return value;
  };
  const year_month_day date = well_formed ? year_month_day{year(number(0, 4)), month(static_cast<unsigned>(number(5, 2))),
                                                           day(static_cast<unsigned>(number(8, 2)))}
                                          : year_month_day{};
  if (!well_formed || !date.ok() || number(11, 2) > 23 || number(14, 2) > 59 || number(17, 2) > 60)
    throw std::invalid_argument("malformed timestamp \"" + text + "\" (expected 2026-11-25T07:12:03.123Z)");
  const milliseconds since_epoch = sys_days(date).time_since_epoch() + hours(number(11, 2)) + minutes(number(14, 2)) +
                                   seconds(number(17, 2)) + milliseconds(number(20, 3));
  // TimePoint counts nanoseconds in 64 bits: years 1678 to 2261 (a larger
  // value would overflow the conversion).
  if (since_epoch < floor<milliseconds>(TimePoint::min().time_since_epoch()) + milliseconds(1) ||
      since_epoch > floor<milliseconds>(TimePoint::max().time_since_epoch()))
    throw std::invalid_argument("timestamp \"" + text + "\" out of range (years 1678 to 2261)");
  return TimePoint(duration_cast<TimePoint::duration>(since_epoch));
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
  decode::JsonObject fields(in);
  decode::probe_result(fields, v);
}

void to_json(nlohmann::json& out, const ActionRecord& v) {
  out = {{"action", v.action}, {"rollback", v.rollback}, {"ok", v.ok}, {"detail", v.detail},
         {"started", format_time(v.started)}, {"durationMs", to_ms(v.duration)}};
}
void from_json(const nlohmann::json& in, ActionRecord& v) {
  decode::JsonObject fields(in);
  decode::action_record(fields, v);
}

void to_json(nlohmann::json& out, const Attempt& v) {
  out = {{"number", v.number}, {"verdict", v.verdict}, {"reason", v.reason}, {"started", format_time(v.started)},
         {"durationMs", to_ms(v.duration)}, {"probes", v.probes}, {"actions", v.actions}};
}
void from_json(const nlohmann::json& in, Attempt& v) {
  decode::JsonObject fields(in);
  decode::attempt(fields, v);
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
         {"location", {{"file", v.location.file.str()}, {"line", v.location.line}, {"column", v.location.column}}},
         {"definitionDigest", v.definition_digest}};
}
void from_json(const nlohmann::json& in, ExperimentInfo& v) {
  decode::JsonObject fields(in);
  decode::experiment_info(fields, v);
}

void to_json(nlohmann::json& out, const ExperimentResult& v) {
  out = {{"experiment", v.experiment}, {"verdict", v.verdict},   {"reason", v.reason},
         {"deviatedProbe", v.deviated_probe}, {"expected", v.expected}, {"observed", v.observed},
         {"fingerprint", v.fingerprint}, {"started", format_time(v.started)}, {"durationMs", to_ms(v.duration)},
         {"attempts", v.attempts}};
}
void from_json(const nlohmann::json& in, ExperimentResult& v) {
  decode::JsonObject fields(in);
  decode::experiment_result(fields, v);
}

namespace {

nlohmann::json coverage_json(const std::vector<CategoryCoverageRecord>& records, CoverageIds ids) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : records)
    out.push_back({{"id", r.id},
                   {"title", r.title},
                   {"incidents", r.incidents},
                   {"experiments", ids == CoverageIds::included ? nlohmann::json(r.experiments) : nlohmann::json::array()}});
  return out;
}

std::vector<CategoryCoverageRecord> coverage_records(const nlohmann::json& in) {
  std::vector<CategoryCoverageRecord> records;
  for (const auto& item : in) {
    CategoryCoverageRecord r;
    item.at("id").get_to(r.id);
    r.title = item.value("title", "");
    optional_field(item, "incidents", r.incidents);
    optional_field(item, "experiments", r.experiments);
    records.push_back(std::move(r));
  }
  return records;
}

}  // namespace

nlohmann::json run_header_json(const RunResult& v, CoverageIds ids) {
  return {{"schema_version", RunResult::k_schema_version},
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
          {"notices", v.notices},
          {"gate", {{"decision", v.gate}, {"reason", v.gate_reason}, {"exitCode", v.exit_code}}},
          {"drill", v.drill},
          {"incidentCoverage", coverage_json(v.incident_coverage, ids)},
          {"experiments", nlohmann::json::array()}};
}
void to_json(nlohmann::json& out, const RunResult& v) {
  out = run_header_json(v);
  out["experiments"] = v.experiments;
}
void from_json(const nlohmann::json& in, RunResult& v) {
  const int version = json_integer<int>(in.at("schema_version"));
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
  optional_field(in, "notices", v.notices);
  const auto& gate = in.at("gate");
  gate.at("decision").get_to(v.gate);
  v.gate_reason = gate.value("reason", "");
  v.exit_code = json_integer_or(gate, "exitCode", 0);
  v.drill = in.value("drill", false);
  if (in.contains("incidentCoverage")) v.incident_coverage = coverage_records(in.at("incidentCoverage"));
  in.at("experiments").get_to(v.experiments);
}

}  // namespace chaosgate
