#include "tickets/ticket.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "util/redact.h"
#include "util/sha256.h"
#include "util/text.h"

namespace chaosgate {

namespace {

// ---- redaction ---------------------------------------------------------------
// Every string taken from the run is redacted before it is escaped or
// combined: escaping a secret ("a|b" -> "a\|b") would hide it from redact().

struct RunText {
  std::string run_id;
  std::string suite_name;
  std::string suite_version;
  std::string suite_digest;
  std::string environment;
  std::map<std::string, std::string> ci;
};

RunText redacted_run(const RunResult& run) {
  RunText text{redact(run.run_id),      redact(run.suite_name),  redact(run.suite_version),
               redact(run.suite_digest), redact(run.environment), {}};
  for (const auto& [key, value] : run.ci.values) text.ci[key] = redact(value);
  return text;
}

void redact_in_place(std::string& text) { text = redact(text); }

ExperimentResult redacted_result(ExperimentResult result) {
  auto& info = result.experiment;
  for (auto* field : {&info.id, &info.title, &info.owner, &info.service, &info.hypothesis, &info.incident_category,
                      &info.incident_category_title}) {
    redact_in_place(*field);
  }
  for (auto& incident : info.incidents) redact_in_place(incident);
  for (auto& [title, description] : info.follow_up) {
    redact_in_place(title);
    redact_in_place(description);
  }
  for (auto* field : {&result.reason, &result.deviated_probe, &result.expected, &result.observed, &result.fingerprint})
    redact_in_place(*field);
  for (auto& attempt : result.attempts) {
    redact_in_place(attempt.reason);
    for (auto& probe : attempt.probes) {
      redact_in_place(probe.probe);
      redact_in_place(probe.expected);
      redact_in_place(probe.observed);
      for (auto& sample : probe.samples) redact_in_place(sample.observed);
    }
    for (auto& action : attempt.actions) {
      redact_in_place(action.action);
      redact_in_place(action.detail);
    }
  }
  return result;
}

// ---- Markdown ----------------------------------------------------------------

// One line: a newline in a list item or table row would end it.
std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  return out;
}

std::string cell(std::string_view text) {
  std::string out;
  for (const char c : one_line(text)) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out.empty() ? " " : out;
}

// An inline code span that survives backticks in the text (CommonMark: a
// longer fence, padded with spaces).
std::string code(std::string_view text) {
  const std::string line = one_line(text);
  if (line.empty()) return "(none)";
  std::size_t longest = 0;
  std::size_t run = 0;
  for (const char c : line) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  const bool pad = longest > 0;
  return fence + (pad ? " " : "") + line + (pad ? " " : "") + fence;
}

// A link when `url` is a web URL (characters that would end the target are
// encoded), otherwise the value as code.
std::string link(std::string_view label, std::string_view url) {
  if (!is_web_url(url)) return code(url);
  std::string target;
  for (const char c : one_line(url)) {
    switch (c) {
      case ' ': target += "%20"; break;
      case '(': target += "%28"; break;
      case ')': target += "%29"; break;
      case '<': target += "%3C"; break;
      case '>': target += "%3E"; break;
      default: target += c;
    }
  }
  return "[" + std::string(label) + "](" + target + ")";
}

std::string format_millis(std::chrono::milliseconds duration) {
  const auto ms = duration.count();
  if (ms < 1000) return std::to_string(ms) + " ms";
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(3);
  out << static_cast<double>(ms) / 1000.0 << " s";
  return out.str();
}

std::string format_number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

std::string find_or_empty(const std::map<std::string, std::string>& values, const std::string& key) {
  const auto it = values.find(key);
  return it == values.end() ? "" : it->second;
}

// The CI keys a ticket shows, in the order it shows them. "merge_request" is
// what the CI detection writes; "mr" is accepted as its short form.
struct CiField {
  const char* key;
  const char* label;
  bool is_link;
};
constexpr CiField k_ci_fields[] = {
    {"tag", "Tag", false},         {"ref", "Ref", false},           {"commit", "Commit", false},
    {"mr", "Merge request", false}, {"merge_request", "Merge request", false}, {"project", "Project", false},
    {"pipeline_url", "Pipeline", true}, {"job_url", "Job", true},
};

// "`v1.4.0` (commit `abc123`)", or "this run" when the CI told us nothing.
std::string release_text(const RunText& run) {
  std::string release = find_or_empty(run.ci, "tag");
  if (release.empty()) release = find_or_empty(run.ci, "ref");
  const std::string commit = find_or_empty(run.ci, "commit");
  if (release.empty() && commit.empty()) return "this run";
  if (release.empty()) return "commit " + code(commit);
  return "release " + code(release) + (commit.empty() ? "" : " (commit " + code(commit) + ")");
}

// "- **Pipeline:** [...](...)" lines for the CI links present.
std::string ci_link_lines(const RunText& run) {
  std::string out;
  for (const auto& [key, label] : {std::pair{"pipeline_url", "Pipeline"}, std::pair{"job_url", "Job"}}) {
    const std::string url = find_or_empty(run.ci, key);
    if (!url.empty()) out += std::string("- **") + label + ":** " + link(one_line(url), url) + "\n";
  }
  return out;
}

std::string deviation_text(const ExperimentResult& result) {
  std::string out;
  if (!result.deviated_probe.empty()) {
    out += "- **Probe:** " + code(result.deviated_probe) + "\n";
    out += "- **Expected:** " + one_line(result.expected) + "\n";
    out += "- **Observed:** " + one_line(result.observed) + "\n";
  }
  if (!result.reason.empty()) out += "- **Reason:** " + one_line(result.reason) + "\n";
  return out;
}

// Probes that did not hold, over all attempts: the observed problems.
std::string problems_text(const ExperimentResult& result) {
  std::string out;
  for (const auto& attempt : result.attempts) {
    for (const auto& probe : attempt.probes) {
      if (probe.ok) continue;
      out += "- attempt " + std::to_string(attempt.number) + ", " + enum_name(probe.phase) + ", " + code(probe.probe) +
             ": expected " + one_line(probe.expected) + "; observed " + one_line(probe.observed) + "\n";
    }
  }
  return out;
}

std::string attachment_name(const std::string& prefix, const std::string& experiment_id, const std::string& extension) {
  std::string safe;
  for (const char c : experiment_id) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
    safe += keep ? c : '_';
  }
  if (safe.empty() || safe.front() == '.') safe.insert(safe.begin(), '_');
  return prefix + safe + extension;
}

std::string risk_table(const ExperimentInfo& e) {
  const std::string category =
      e.incident_category_title.empty() ? e.incident_category
                                        : e.incident_category_title + (e.incident_category.empty() ? "" : " (" + e.incident_category + ")");
  std::string out = "| Risk | Value |\n|---|---|\n";
  out += "| Likelihood | " + std::to_string(e.likelihood) + " / 5 |\n";
  out += "| Impact | " + std::to_string(e.impact) + " / 5 |\n";
  out += "| Score | " + std::to_string(e.likelihood * e.impact) + " / 25 |\n";
  out += "| Level | " + enum_name(e.risk_level) + " |\n";
  out += "| Attack group | " + enum_name(e.attack_group) + " |\n";
  out += "| Preparation cost | " + enum_name(e.preparation_cost) + " |\n";
  out += "| Incident category | " + cell(category.empty() ? "(none)" : category) + " |\n";
  return out;
}

std::string risk_json(const RunText& run, const ExperimentResult& result, const std::string& fingerprint) {
  const auto& e = result.experiment;
  nlohmann::json ci = nlohmann::json::object();
  for (const auto& [key, value] : run.ci) ci[key] = value;
  const nlohmann::json record = {
      {"schema", "chaosgate/risk-v1"},
      {"experiment", e.id},
      {"title", e.title},
      {"team", e.owner},
      {"service", e.service},
      {"likelihood", e.likelihood},
      {"impact", e.impact},
      {"score", e.likelihood * e.impact},
      {"level", e.risk_level},
      {"attackGroup", e.attack_group},
      {"preparationCost", e.preparation_cost},
      {"incidentCategory", e.incident_category},
      {"incidentCategoryTitle", e.incident_category_title},
      {"incidents", e.incidents},
      {"fingerprint", fingerprint},
      {"verdict", result.verdict},
      {"observedAt", format_time(result.started)},
      {"suiteName", run.suite_name},
      {"suiteVersion", run.suite_version},
      {"suiteDigest", run.suite_digest},
      {"runId", run.run_id},
      {"environment", run.environment},
      {"ci", ci},
  };
  // Text from a suite may hold invalid UTF-8: replaced rather than thrown on.
  return record.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string evidence_markdown(const RunText& run, const ExperimentResult& result, const std::string& fingerprint) {
  const auto& e = result.experiment;
  std::string out = "# Evidence: " + one_line(e.title.empty() ? e.id : e.title) + " (" + code(e.id) + ")\n\n";
  out += "- **Verdict:** " + enum_name(result.verdict) + (result.reason.empty() ? "" : " — " + one_line(result.reason)) + "\n";
  out += "- **Run:** " + code(run.run_id) + ", suite " + code(run.suite_name) +
         (run.suite_version.empty() ? "" : " " + code(run.suite_version)) + ", environment " + code(run.environment) + "\n";
  out += "- **Started:** " + format_time(result.started) + ", took " + format_millis(result.duration) + "\n";
  out += "- **Fingerprint:** " + code(fingerprint) + "\n";
  if (result.attempts.empty()) out += "\nNo attempt was recorded.\n";
  for (const auto& attempt : result.attempts) {
    out += "\n## Attempt " + std::to_string(attempt.number) + " of " + std::to_string(result.attempts.size()) + ": " +
           enum_name(attempt.verdict) + "\n\n";
    if (!attempt.reason.empty()) out += one_line(attempt.reason) + "\n\n";
    out += "Started " + format_time(attempt.started) + ", took " + format_millis(attempt.duration) + ".\n\n";

    auto probes = attempt.probes;
    std::stable_sort(probes.begin(), probes.end(), [](const ProbeResult& a, const ProbeResult& b) { return a.started < b.started; });
    out += "### Probe timeline\n\n";
    if (probes.empty()) {
      out += "No probe ran.\n";
    } else {
      out += "| Started | Phase | Probe | Result | Expected | Observed | Took |\n|---|---|---|---|---|---|---|\n";
      for (const auto& p : probes) {
        out += "| " + format_time(p.started) + " | " + enum_name(p.phase) + " | " + cell(p.probe) + " | " +
               (p.ok ? "ok" : "**deviated**") + " | " + cell(p.expected) + " | " + cell(p.observed) + " | " +
               format_millis(p.duration) + " |\n";
      }
      for (const auto& p : probes) {
        if (p.samples.empty()) continue;
        out += "\n#### Samples of " + code(p.probe) + " (" + enum_name(p.phase) + ")\n\n";
        out += "| At | Result | Value | Latency | Observed |\n|---|---|---|---|---|\n";
        for (const auto& s : p.samples) {
          out += "| " + format_time(s.at) + " | " + (s.ok ? "ok" : (s.reached ? "bad" : "unreached")) + " | " +
                 format_number(s.value) + " | " + format_number(s.latency_ms) + " ms | " + cell(s.observed) + " |\n";
        }
      }
    }

    out += "\n### Actions and rollbacks\n\n";
    if (attempt.actions.empty()) {
      out += "No action ran.\n";
    } else {
      out += "| Started | Step | Name | Result | Took | Detail |\n|---|---|---|---|---|---|\n";
      for (const auto& a : attempt.actions) {
        out += "| " + format_time(a.started) + " | " + (a.rollback ? "rollback" : "action") + " | " + cell(a.action) +
               " | " + (a.ok ? "ok" : "**failed**") + " | " + format_millis(a.duration) + " | " + cell(a.detail) + " |\n";
      }
    }
  }
  return out;
}

std::string fingerprint_of(const RunText& run, const ExperimentResult& result) {
  if (!result.fingerprint.empty()) return result.fingerprint;
  return regression_fingerprint(run.suite_name, result.experiment.id, result.deviated_probe);
}

}  // namespace

std::string ticket_priority(RiskLevel level) {
  switch (level) {
    case RiskLevel::critical: return "Highest";
    case RiskLevel::high: return "High";
    case RiskLevel::medium: return "Medium";
    case RiskLevel::low: return "Low";
  }
  return "Medium";
}

std::string experiment_label(std::string_view suite_name, std::string_view experiment_id) {
  // NUL separator, as in regression_fingerprint: "a"+"bc" != "ab"+"c".
  std::string key(suite_name);
  key += '\0';
  key += experiment_id;
  return "cg-exp-" + sha256_hex(key).substr(0, 16);
}

Ticket compose_ticket(const RunResult& raw_run, const ExperimentResult& raw_result) {
  const RunText run = redacted_run(raw_run);
  const ExperimentResult result = redacted_result(raw_result);
  const auto& e = result.experiment;

  Ticket ticket;
  ticket.experiment_id = e.id;
  ticket.team = e.owner;
  ticket.fingerprint = fingerprint_of(run, result);
  // From the raw names: the label must match what sync computes for a passing
  // run, and a hash reveals nothing.
  ticket.experiment_label = experiment_label(raw_run.suite_name, raw_result.experiment.id);
  ticket.summary = "[chaos regression] " + one_line(e.title.empty() ? e.id : e.title) + " (" + one_line(e.service) + ")";
  ticket.labels = {"chaosgate",           "chaos-regression", ticket.fingerprint, ticket.experiment_label,
                   "risk:" + enum_name(e.risk_level), "attack:" + enum_name(e.attack_group)};
  ticket.priority = ticket_priority(e.risk_level);
  for (const auto& [title, description] : e.follow_up) ticket.tasks.push_back({title, description});

  const std::string risk_name = attachment_name("risk-", e.id, ".json");
  const std::string evidence_name = attachment_name("evidence-", e.id, ".md");

  std::string body = "Experiment " + code(e.id) + " of suite " + code(run.suite_name) + " (owner " + code(e.owner) +
                     ", service " + code(e.service) + ") is **" + enum_name(result.verdict) + "** in " +
                     release_text(run) + ".\n\n";
  body += "## Hypothesis\n\n" + (e.hypothesis.empty() ? std::string("(none written)") : e.hypothesis) + "\n\n";
  body += "## What deviated\n\n" + deviation_text(result);
  body += "- **When:** " + format_time(result.started) + " (run " + code(run.run_id) + ", environment " +
          code(run.environment) + ")\n";
  const std::string problems = problems_text(result);
  if (!problems.empty()) body += "\nObserved problems:\n\n" + problems;

  body += "\n## Release\n\n";
  bool any_ci = false;
  for (const auto& field : k_ci_fields) {
    const std::string value = find_or_empty(run.ci, field.key);
    if (value.empty()) continue;
    if (std::string_view(field.key) == "merge_request" && !find_or_empty(run.ci, "mr").empty()) continue;
    any_ci = true;
    body += std::string("- **") + field.label + ":** " + (field.is_link ? link(one_line(value), value) : code(value)) + "\n";
  }
  if (!any_ci) body += "- No CI context (a local run).\n";
  body += "- **Suite:** " + code(run.suite_name) + (run.suite_version.empty() ? "" : " version " + code(run.suite_version)) +
          (run.suite_digest.empty() ? "" : ", digest " + code(run.suite_digest)) + "\n";

  body += "\n## Follow-up tasks\n\n";
  if (ticket.tasks.empty()) body += "None defined for this experiment.\n";
  for (const auto& task : ticket.tasks)
    body += "- [ ] " + one_line(task.title) + (task.description.empty() ? "" : ": " + one_line(task.description)) + "\n";

  body += "\n## Incident category\n\n";
  if (e.incident_category.empty() && e.incident_category_title.empty()) {
    body += "None.\n";
  } else {
    body += "**" + one_line(e.incident_category_title.empty() ? e.incident_category : e.incident_category_title) + "**" +
            (e.incident_category.empty() ? "" : " (" + code(e.incident_category) + ")") + "\n\n";
    std::vector<std::string> incidents;
    for (const auto& incident : e.incidents) incidents.push_back(one_line(incident));
    body += "Linked incidents: " + (incidents.empty() ? std::string("none") : join(incidents, ", ")) + "\n";
  }

  body += "\n## Risk assessment\n\n" + risk_table(e);
  body += "\n## Attachments\n\n";
  body += "- " + code(risk_name) + ": the risk assessment, machine-readable\n";
  body += "- " + code(evidence_name) + ": the probe timeline and the action / rollback log of every attempt\n";
  body += "\n---\nFiled by chaosgate. Fingerprint " + code(ticket.fingerprint) + ", experiment label " +
          code(ticket.experiment_label) + ": keep the labels, they de-duplicate this ticket.\n";
  // Once more over the whole: text combined from two fields may form a
  // credential pattern ("token=" + value) that neither held alone.
  ticket.body = redact(body);
  for (auto& task : ticket.tasks) {
    task.title = redact(task.title);
    task.description = redact(task.description);
  }
  ticket.summary = redact(ticket.summary);

  ticket.attachments.push_back({risk_name, "application/json", risk_json(run, result, ticket.fingerprint)});
  ticket.attachments.push_back({evidence_name, "text/markdown", redact(evidence_markdown(run, result, ticket.fingerprint))});
  return ticket;
}

std::string recurrence_comment(const RunResult& raw_run, const ExperimentResult& raw_result) {
  const RunText run = redacted_run(raw_run);
  const ExperimentResult result = redacted_result(raw_result);
  std::string out = "**Regressed again** in " + release_text(run) + ": run " + code(run.run_id) + " on " +
                    code(run.environment) + ", " + format_time(result.started) + ".\n\n";
  out += ci_link_lines(run);
  out += deviation_text(result);
  const std::string problems = problems_text(result);
  if (!problems.empty()) out += "\nObserved problems:\n\n" + problems;
  return redact(out);
}

std::string recovery_comment(const RunResult& raw_run, const ExperimentResult& raw_result) {
  const RunText run = redacted_run(raw_run);
  const ExperimentResult result = redacted_result(raw_result);
  std::string out = "**Recovered:** " + code(result.experiment.id) + " passed again in " + release_text(run) + ": run " +
                    code(run.run_id) + " on " + code(run.environment) + ", " + format_time(result.started) + ".\n\n";
  if (result.verdict == Verdict::flaky) {
    out += "It failed first and passed on retry (" + std::to_string(result.attempts.size()) +
           " attempts): flaky, worth watching.\n\n";
  }
  out += ci_link_lines(run);
  return redact(out);
}

}  // namespace chaosgate
