#include "sarif.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <utility>

#include "json_stream.h"
#include "json_text.h"
#include "model/experiment_results.h"
#include "report_text.h"
#include "util/redact.h"
#include "util/text.h"

namespace chaosgate {

namespace {

constexpr const char* k_information_uri = "https://github.com/chaosgate/chaosgate";
constexpr const char* k_src_root = "%SRCROOT%";
constexpr std::size_t k_max_text = 4096;

std::string text(const std::string& value) { return clean_text_capped(value, k_max_text); }
std::string line(const std::string& value) { return clean_text_capped(value, k_max_text, false); }

// The multitool (SARIF2001) wants messages to end with a period.
std::string sentence(std::string value) {
  value = line(value);
  while (!value.empty() && value.back() == ' ') value.pop_back();
  if (value.empty() || (value.back() != '.' && value.back() != '!' && value.back() != '?')) value += '.';
  return value;
}

std::string pascal_case(const std::string& id) {
  std::string out;
  bool upper = true;
  for (const char c : id) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out.empty() ? "Experiment" : out;
}

std::string level_for_risk(RiskLevel risk) {
  switch (risk) {
    case RiskLevel::critical:
    case RiskLevel::high: return "error";
    case RiskLevel::medium: return "warning";
    case RiskLevel::low: return "note";
  }
  return "warning";
}

// Regressions weigh by risk; an experiment that could not be judged is a note.
std::string level_of(const ExperimentResult& result) {
  return result.verdict == Verdict::failed ? level_for_risk(result.experiment.risk_level) : "note";
}

int severity_rank(const ExperimentResult& result) {
  const std::string level = level_of(result);
  if (result.verdict != Verdict::failed) return 3;
  return level == "error" ? 0 : level == "warning" ? 1 : 2;
}

bool has_scheme(const std::string& path, const std::string& scheme) { return path.rfind(scheme + "://", 0) == 0; }

// Where a result points: a uri, relative to %SRCROOT% or absolute.
struct Artifact {
  std::string uri;
  bool under_src_root = false;
};

Artifact artifact_location(const std::string& file) {
  if (has_scheme(file, "http") || has_scheme(file, "https")) return {line(file)};
  if (!file.empty() && file.front() == '/') return {"file://" + sarif_relative_uri(file)};
  if (file.find("://") != std::string::npos) return {line(file)};  // gitlab://..., kept as given
  return {sarif_relative_uri(file), true};
}

nlohmann::json risk_json(const ExperimentInfo& e) {
  return {{"likelihood", e.likelihood}, {"impact", e.impact}, {"score", e.likelihood * e.impact}, {"level", enum_name(e.risk_level)}};
}

void write_risk(JsonText& out, const ExperimentInfo& e) {
  out.object()
      .member("impact", e.impact)
      .member("level", enum_name(e.risk_level))
      .member("likelihood", e.likelihood)
      .member("score", e.likelihood * e.impact)
      .end();
}

// A rule's texts, made once for both of its forms (DOM and streamed text).
struct Rule {
  const ExperimentInfo& e;
  std::string id, name, short_description, full_description, help_text, help_markdown;
  std::vector<std::string> tags;
};

Rule rule_of(const ExperimentInfo& e, const SarifOptions& options) {
  std::string help_text = "Experiment " + e.id + " (" + e.owner + "): " + e.title + ".";
  std::string help_markdown = "**" + e.id + "** (owner `" + e.owner + "`, service `" + e.service + "`)\n\n" + e.hypothesis + "\n";
  if (!e.follow_up.empty()) {
    help_text += " Follow-up when it fails:";
    help_markdown += "\n**Follow-up when it fails**\n\n";
    for (const auto& [title, description] : e.follow_up) {
      help_text += " - " + title + (description.empty() ? "" : ": " + description);
      help_markdown += "- " + title + (description.empty() ? "" : ": " + description) + "\n";
    }
  }
  if (!e.incidents.empty()) help_markdown += "\nIncidents: " + join(e.incidents, ", ") + "\n";
  std::vector<std::string> tags = {"chaos-engineering", enum_name(e.attack_group)};
  for (const auto& tag : e.tags)
    if (tags.size() < options.max_tags && std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(line(tag));
  return {e,
          line(e.id),
          pascal_case(e.id),
          sentence(e.title.empty() ? e.id : e.title),
          sentence(e.hypothesis.empty() ? e.title : e.hypothesis),
          sentence(help_text),
          text(help_markdown),
          std::move(tags)};
}

nlohmann::json rule(const ExperimentInfo& e, const SarifOptions& options) {
  const Rule r = rule_of(e, options);
  return {{"id", r.id},
          {"name", r.name},
          {"shortDescription", {{"text", r.short_description}}},
          {"fullDescription", {{"text", r.full_description}}},
          {"help", {{"text", r.help_text}, {"markdown", r.help_markdown}}},
          {"defaultConfiguration", {{"level", level_for_risk(e.risk_level)}}},
          {"properties",
           {{"team", line(e.owner)},
            {"service", line(e.service)},
            {"category", line(e.incident_category)},
            {"attackGroup", enum_name(e.attack_group)},
            {"risk", risk_json(e)},
            {"tags", r.tags}}}};
}

// rule() as dump(2) prints it, members in its (sorted) order.
void write_rule(JsonText& out, const ExperimentInfo& e, const SarifOptions& options) {
  const Rule r = rule_of(e, options);
  out.object();
  out.key("defaultConfiguration").object().member("level", level_for_risk(e.risk_level)).end();
  out.key("fullDescription").object().member("text", r.full_description).end();
  out.key("help").object().member("markdown", r.help_markdown).member("text", r.help_text).end();
  out.member("id", r.id).member("name", r.name);
  out.key("properties").object().member("attackGroup", enum_name(e.attack_group)).member("category", line(e.incident_category));
  write_risk(out.key("risk"), e);
  out.member("service", line(e.service)).key("tags").strings(r.tags).member("team", line(e.owner)).end();
  out.key("shortDescription").object().member("text", r.short_description).end();
  out.end();
}

std::string message(const ExperimentResult& result) {
  const ExperimentInfo& e = result.experiment;
  if (result.verdict == Verdict::failed && !result.deviated_probe.empty())
    return sentence(e.id + " regressed: probe " + result.deviated_probe + " expected " + result.expected + ", observed " +
                    result.observed);
  return sentence(e.id + " " + enum_name(result.verdict) + ": " + (result.reason.empty() ? "no reason recorded" : result.reason));
}

// A result's texts, made once for both of its forms.
struct Result {
  const ExperimentResult& result;
  std::size_t rule_index;
  Artifact artifact;
  std::string fingerprint;
};

Result result_of(const RunResult& run, const ExperimentResult& result, std::size_t rule_index) {
  const ExperimentInfo& e = result.experiment;
  const std::string fingerprint = !result.fingerprint.empty()
                                      ? result.fingerprint
                                      : regression_fingerprint(run.suite_name, e.id, result.deviated_probe);
  return {result, rule_index,
          artifact_location(e.location.file.empty() && !run.suite_files.empty() ? run.suite_files.front() : e.location.file.str()),
          line(fingerprint)};
}

nlohmann::json result_json(const RunResult& run, const ExperimentResult& result, std::size_t rule_index) {
  const ExperimentInfo& e = result.experiment;
  const Result r = result_of(run, result, rule_index);
  nlohmann::json artifact = {{"uri", r.artifact.uri}};
  if (r.artifact.under_src_root) artifact["uriBaseId"] = k_src_root;
  nlohmann::json physical = {{"artifactLocation", artifact}};
  if (e.location.line > 0) {
    physical["region"] = {{"startLine", e.location.line}};
    if (e.location.column > 0) physical["region"]["startColumn"] = e.location.column;
  }
  return {{"ruleId", line(e.id)},
          {"ruleIndex", rule_index},
          {"level", level_of(result)},
          {"message", {{"text", message(result)}}},
          {"locations", nlohmann::json::array({{{"physicalLocation", physical}}})},
          {"partialFingerprints", {{"chaosgate/v1", r.fingerprint}}},
          {"properties",
           {{"verdict", enum_name(result.verdict)},
            {"owner", line(e.owner)},
            {"risk", risk_json(e)},
            {"deviatedProbe", line(result.deviated_probe)},
            {"expected", line(result.expected)},
            {"observed", line(result.observed)},
            {"durationMs", result.duration.count()}}}};
}

// result_json() as dump(2) prints it, members in its (sorted) order.
void write_result(JsonText& out, const RunResult& run, const ExperimentResult& result, std::size_t rule_index) {
  const ExperimentInfo& e = result.experiment;
  const Result r = result_of(run, result, rule_index);
  out.object().member("level", level_of(result));
  out.key("locations").array().object().key("physicalLocation").object();
  out.key("artifactLocation").object().member("uri", r.artifact.uri);
  if (r.artifact.under_src_root) out.member("uriBaseId", k_src_root);
  out.end();
  if (e.location.line > 0) {
    out.key("region").object();
    if (e.location.column > 0) out.member("startColumn", e.location.column);
    out.member("startLine", e.location.line).end();
  }
  out.end().end().end();
  out.key("message").object().member("text", message(result)).end();
  out.key("partialFingerprints").object().member("chaosgate/v1", r.fingerprint).end();
  out.key("properties").object();
  out.member("deviatedProbe", line(result.deviated_probe)).member("durationMs", static_cast<long long>(result.duration.count()));
  out.member("expected", line(result.expected)).member("observed", line(result.observed)).member("owner", line(e.owner));
  write_risk(out.key("risk"), e);
  out.member("verdict", enum_name(result.verdict)).end();
  out.member("ruleId", line(e.id)).key("ruleIndex").number(static_cast<unsigned long long>(rule_index));
  out.end();
}

}  // namespace

std::string sarif_relative_uri(const std::string& path) {
  std::string out;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = path.find('/', start);
    out += percent_encode(std::string_view(path).substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    out += '/';
    start = slash + 1;
  }
  if (out.rfind("./", 0) == 0) out.erase(0, 2);
  return out;
}

namespace {

// Which experiments get a result and which a rule, before any JSON is made.
// One rule per experiment, in run order: a rule's index is then its
// experiment's position and nothing is kept for them (4-byte lists of every
// position and of its rule were 8 bytes an experiment of the reports' peak).
// GitHub takes at most as many rules as results, so a run past max_results
// keeps rules only for the experiments it reports.
class SarifPlan {
public:
  std::vector<std::uint32_t> reported;  // experiment positions with a result, most severe first, made to size
  std::size_t omitted = 0;              // results left out past max_results

  explicit SarifPlan(std::size_t experiments) : m_experiments(experiments) {}
  // The reported positions become the rules (a run past max_results).
  void rule_reported_only() {
    m_all_ruled = false;
    m_ruled = reported;
    std::sort(m_ruled.begin(), m_ruled.end());
  }
  std::size_t rules() const { return m_all_ruled ? m_experiments : m_ruled.size(); }
  std::uint32_t ruled_position(std::size_t rule) const { return m_all_ruled ? static_cast<std::uint32_t>(rule) : m_ruled[rule]; }
  // The index of the rule of a reported experiment.
  std::uint32_t rule_of(std::uint32_t position) const {
    if (m_all_ruled) return position;
    return static_cast<std::uint32_t>(std::lower_bound(m_ruled.begin(), m_ruled.end(), position) - m_ruled.begin());
  }

private:
  std::size_t m_experiments;
  bool m_all_ruled = true;
  std::vector<std::uint32_t> m_ruled;  // past max_results: the reported positions, ascending
};

SarifPlan plan_sarif(const RunResult& run, const SarifOptions& options) {
  const ExperimentResults results(run);
  SarifPlan plan(results.size());
  // Reported experiments, most severe first, so a cut keeps what matters.
  std::vector<std::pair<int, std::uint32_t>> ranked;  // (severity rank, position)
  ExperimentResult scratch;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const Verdict v = results.verdict(i);
    if (v != Verdict::failed && v != Verdict::error && v != Verdict::aborted) continue;
    ranked.emplace_back(severity_rank(results.at(i, scratch)), static_cast<std::uint32_t>(i));
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  plan.omitted = ranked.size() > options.max_results ? ranked.size() - options.max_results : 0;
  plan.reported.reserve(ranked.size() - plan.omitted);
  for (std::size_t i = 0; i < ranked.size() - plan.omitted; ++i) plan.reported.push_back(ranked[i].second);
  if (results.size() > options.max_results) plan.rule_reported_only();
  return plan;
}

// The whole log but its rules and results (empty arrays).
nlohmann::json sarif_skeleton(const RunResult& run, const SarifOptions& options, const SarifPlan& plan) {
  const std::size_t omitted = plan.omitted;
  const bool completed = run.gate != "interrupted" && run.preflight_problems.empty();
  nlohmann::json invocation = {{"startTimeUtc", format_time(run.started)},
                               {"endTimeUtc", format_time(std::max(run.started, run.finished))},
                               {"commandLine", line(redact(run.command_line))},
                               {"exitCode", run.exit_code},
                               {"executionSuccessful", completed}};
  if (!completed) {
    nlohmann::json notifications = nlohmann::json::array();
    notifications.push_back({{"level", "error"}, {"message", {{"text", sentence("Gate " + run.gate + ": " + run.gate_reason)}}}});
    invocation["toolExecutionNotifications"] = notifications;
  }

  const std::string tool_version = run.tool_version.empty() ? "0.0.0" : line(run.tool_version);
  nlohmann::json sarif_run = {
      {"tool",
       {{"driver",
         {{"name", "chaosgate"},
          {"version", tool_version},
          {"semanticVersion", tool_version},
          {"informationUri", k_information_uri},
          {"rules", nlohmann::json::array()}}}}},
      {"originalUriBaseIds",
       {{k_src_root, {{"description", {{"text", "The directory chaosgate ran in (the repository root in CI)."}}}}}}},
      // A drill's results are kept apart from the gate's by code scanning.
      {"automationDetails", {{"id", line((run.drill ? "chaosgate-drill/" : "chaosgate/") + run.environment + "/" + run.run_id)}}},
      {"invocations", nlohmann::json::array({invocation})},
      {"results", nlohmann::json::array()},
      {"properties",
       {{"suite", line(run.suite_name)},
        {"suiteVersion", line(run.suite_version)},
        {"suiteDigest", line(run.suite_digest)},
        {"gate", line(run.gate)},
        {"gateReason", line(run.gate_reason)},
        {"resultsOmitted", omitted}}}};
  if (omitted > 0)
    sarif_run["properties"]["truncation"] = line(std::to_string(omitted) + " of " + std::to_string(omitted + plan.reported.size()) +
                                                 " results left out (GitHub accepts " + std::to_string(options.max_results) +
                                                 " per run); all of them are in journal.json and junit.xml");
  if (!run.shard.empty()) sarif_run["properties"]["shard"] = line(run.shard);
  if (run.drill) sarif_run["properties"]["drill"] = true;

  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", nlohmann::json::array({sarif_run})}};
}

}  // namespace

nlohmann::json sarif_log(const RunResult& run, const SarifOptions& options) {
  const SarifPlan plan = plan_sarif(run, options);
  nlohmann::json log = sarif_skeleton(run, options, plan);
  nlohmann::json& sarif_run = log["runs"][0];
  const ExperimentResults results(run);
  ExperimentResult scratch;
  for (std::size_t r = 0; r < plan.rules(); ++r)
    sarif_run["tool"]["driver"]["rules"].push_back(rule(results.at(plan.ruled_position(r), scratch).experiment, options));
  for (const std::uint32_t i : plan.reported) sarif_run["results"].push_back(result_json(run, results.at(i, scratch), plan.rule_of(i)));
  return log;
}

void write_sarif(const RunResult& run, const std::string& path, const SarifOptions& options) {
  AtomicFile file(path);
  write_sarif(run, file, options);
  file.commit();
}

void write_sarif(const RunResult& run, AtomicFile& file, const SarifOptions& options) {
  const SarifPlan plan = plan_sarif(run, options);
  const std::string skeleton = dump_json(sarif_skeleton(run, options, plan));
  // Keys print in order: "results" comes before "tool" (and its "rules").
  // Each element is written as text, not built as a DOM and dumped.
  const ExperimentResults results(run);
  ExperimentResult scratch;
  auto result = plan.reported.begin();
  std::size_t at = append_array_text(file, skeleton, 0, "results", [&](JsonText& out) {
    if (result == plan.reported.end()) return false;
    write_result(out, run, results.at(*result, scratch), plan.rule_of(*result));
    ++result;
    return true;
  });
  std::size_t rule = 0;
  at = append_array_text(file, skeleton, at, "rules", [&](JsonText& out) {
    if (rule == plan.rules()) return false;
    write_rule(out, results.at(plan.ruled_position(rule++), scratch).experiment, options);
    return true;
  });
  file.append(std::string_view(skeleton).substr(at));
  file.append("\n");
}

}  // namespace chaosgate
