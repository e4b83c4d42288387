#include "html_report.h"

#include <algorithm>
#include <array>
#include <vector>

#include "html_text.h"
#include "model/duration.h"
#include "model/experiment_results.h"
#include "timeline_svg.h"

namespace chaosgate {

namespace {

constexpr std::size_t k_piece_bytes = 64 * 1024;

// No "<" or "&" in it: the page stays well-formed XML.
constexpr const char* k_style = R"(
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1d1f21;max-width:1100px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px}h3{font-size:15px;margin-bottom:4px}h4{font-size:13px;margin:12px 0 2px}
table{border-collapse:collapse}th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #ddd;vertical-align:top}
.facts th{font-weight:normal;color:#666}
.gate,.verdict{padding:1px 7px;border-radius:3px;color:#fff;background:#777}
.gate-passed,.v-passed{background:#2e7d32}.gate-failed,.v-failed{background:#c62828}
.gate-inconclusive,.v-error,.v-aborted{background:#ef6c00}.gate-interrupted,.v-flaky{background:#8e24aa}.v-skipped{background:#9e9e9e}
.counts{list-style:none;padding:0;display:flex;gap:8px}.counts li{padding:2px 8px;border-radius:3px;color:#fff}
section.experiment{border-top:2px solid #eee;padding-top:6px}
.timeline text{font:11px sans-serif;fill:#333}.timeline .note{fill:#777;font-size:10px}
.fault{fill:#ffcc80;opacity:.45}.series{fill:none;stroke:#1565c0;stroke-width:1.2}.axis{stroke:#aaa}
.bad{fill:#c62828}.miss{fill:none;stroke:#c62828;stroke-width:1.5}.good{fill:#2e7d32}
footer{margin-top:28px;color:#777;font-size:12px}
)";

constexpr std::array k_verdicts = {Verdict::passed, Verdict::failed, Verdict::flaky,
                                   Verdict::error,  Verdict::aborted, Verdict::skipped};

// Most severe first, as the gate and the owning teams read them.
constexpr std::array k_charted_verdicts = {Verdict::failed, Verdict::aborted, Verdict::error, Verdict::flaky};

std::string verdict_badge(Verdict verdict) {
  return "<span class=\"verdict v-" + enum_name(verdict) + "\">" + enum_name(verdict) + "</span>";
}

class Page {
public:
  Page(const RunResult& run, const HtmlReportOptions& options, const std::function<void(std::string_view)>& sink)
      : m_run(run), m_results(run), m_options(options), m_sink(sink) {}

  void write() {
    head();
    facts();
    lists();
    charted();
    table();
    m_out += "<footer>chaosgate " + html_text(m_run.tool_version) +
             ": everything this run recorded (every probe sample, action and rollback) is in journal.json.</footer>\n"
             "</body>\n</html>\n";
    m_sink(m_out);
  }

private:
  // Hands what is written to the sink once it is a piece's worth.
  void piece_done() {
    if (m_out.size() < k_piece_bytes) return;
    m_sink(m_out);
    m_out.clear();
  }

  void head() {
    const std::string name = (m_run.drill ? "chaosgate drill " : "chaosgate ") + m_run.suite_name;
    m_out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>" +
             html_text(name + ": gate " + m_run.gate) + "</title>\n<style>" + k_style + "</style>\n</head>\n<body>\n";
    m_out += "<h1>" + html_text(name) + " <span class=\"gate gate-" + html_text(m_run.gate, 40) + "\">" +
             html_text(m_run.gate.empty() ? "undecided" : m_run.gate, 40) + "</span></h1>\n";
    m_out += "<p class=\"reason\">" + html_text(m_run.gate_reason, 2000) + " (exit " + std::to_string(m_run.exit_code) + ")</p>\n";
  }

  void fact(const std::string& name, const std::string& value_html) {
    m_out += "<tr><th>" + name + "</th><td>" + value_html + "</td></tr>\n";
  }

  void facts() {
    m_out += "<table class=\"facts\"><tbody>\n";
    std::string suite = html_text(m_run.suite_name);
    if (!m_run.suite_version.empty()) suite += " " + html_text(m_run.suite_version);
    if (!m_run.suite_digest.empty()) suite += " (sha256 " + html_text(m_run.suite_digest.substr(0, 12)) + "…)";
    fact("Suite", suite);
    fact("Environment", html_text(m_run.environment) + (m_run.production ? " (production)" : ""));
    fact("Run", html_text(m_run.run_id) + (m_run.shard.empty() ? "" : ", shard " + html_text(m_run.shard)) +
                    (m_run.drill ? ", a drill" : ""));
    fact("Time", html_text(format_time(m_run.started)) + " to " + html_text(format_time(m_run.finished)) + " (" +
                     html_text(format_duration(std::max(milliseconds_between(m_run.started, m_run.finished), Millis(0)))) + ")");
    for (const char* key : {"commit", "ref", "merge_request", "pipeline_url", "job_url"}) {
      const auto value = m_run.ci.values.find(key);
      if (value == m_run.ci.values.end() || value->second.empty()) continue;
      const std::string target = html_link_target(value->second);
      fact(html_text(key), target.empty() ? html_text(value->second)
                                          : "<a href=\"" + target + "\">" + html_text(value->second) + "</a>");
    }
    m_out += "</tbody></table>\n<ul class=\"counts\">";
    for (const Verdict verdict : k_verdicts)
      m_out += "<li class=\"v-" + enum_name(verdict) + "\">" + std::to_string(m_run.count(verdict)) + " " + enum_name(verdict) + "</li>";
    m_out += "</ul>\n";
  }

  void list(const char* title, const std::vector<std::string>& items) {
    if (items.empty()) return;
    m_out += "<h2>" + std::string(title) + "</h2>\n<ul>\n";
    for (const auto& item : items) m_out += "<li>" + html_text(item, 2000) + "</li>\n";
    m_out += "</ul>\n";
  }

  void lists() {
    list("Preflight problems (nothing was injected)", m_run.preflight_problems);
    list("Notices", m_run.notices);
  }

  // A ticket URL as a link, a key as text; empty when there is none.
  std::string ticket(const std::string& id) const {
    const auto link = m_options.ticket_links.find(id);
    if (link == m_options.ticket_links.end()) return {};
    const std::string target = html_link_target(link->second);
    return target.empty() ? html_text(link->second) : "<a href=\"" + target + "\">" + html_text(link->second) + "</a>";
  }

  void section(std::size_t position, const ExperimentResult& result) {
    const ExperimentInfo& e = result.experiment;
    m_out += "<section class=\"experiment\" id=\"x" + std::to_string(position) + "\">\n<h3>" + html_text(e.id) + ": " +
             html_text(e.title) + "</h3>\n<p>" + verdict_badge(result.verdict) + " owner " + html_text(e.owner) +
             ", service " + html_text(e.service) + ", risk " + enum_name(e.risk_level) + " (likelihood " +
             std::to_string(e.likelihood) + " x impact " + std::to_string(e.impact) + "), " + enum_name(e.attack_group) +
             ", incident category " + html_text(e.incident_category) + "</p>\n";
    if (!e.hypothesis.empty()) m_out += "<p>Hypothesis: " + html_text(e.hypothesis, 2000) + "</p>\n";
    if (!result.deviated_probe.empty())
      m_out += "<p>Probe <b>" + html_text(result.deviated_probe) + "</b> deviated: expected " + html_text(result.expected) +
               ", observed " + html_text(result.observed) + "</p>\n";
    else if (!result.reason.empty())
      m_out += "<p>" + html_text(result.reason, 2000) + "</p>\n";
    std::string more;
    if (const std::string link = ticket(e.id); !link.empty()) more += "ticket " + link + "; ";
    if (!result.fingerprint.empty()) more += "fingerprint " + html_text(result.fingerprint) + "; ";
    if (!e.location.file.empty()) more += "defined at " + html_text(e.location.to_string()) + "; ";
    if (!more.empty()) m_out += "<p class=\"more\">" + more.substr(0, more.size() - 2) + "</p>\n";
    if (result.attempts.empty()) m_out += "<p>No attempt was recorded.</p>\n";
    for (const auto& attempt : result.attempts) {
      m_out += "<h4>Attempt " + std::to_string(attempt.number) + ": " + enum_name(attempt.verdict) + " in " +
               html_text(format_duration(std::max(attempt.duration, Millis(0)))) +
               (attempt.reason.empty() ? std::string() : ": " + html_text(attempt.reason, 1000)) + "</h4>\n";
      append_timeline_svg(m_out, attempt, m_options.max_points);
      m_out += "\n";
      piece_done();
    }
    m_out += "</section>\n";
  }

  void charted() {
    std::vector<std::size_t> order;
    for (const Verdict verdict : k_charted_verdicts)
      for (std::size_t i = 0; i < m_results.size(); ++i)
        if (m_results.verdict(i) == verdict) order.push_back(i);
    if (order.empty()) return;
    m_out += "<h2>Did not pass</h2>\n";
    ExperimentResult scratch;
    for (std::size_t n = 0; n < order.size() && n < m_options.max_charted; ++n) {
      m_charted.push_back(order[n]);
      section(order[n], m_results.at(order[n], scratch));
    }
    if (order.size() > m_options.max_charted)
      m_out += "<p>" + std::to_string(order.size() - m_options.max_charted) +
               " more did not pass; they are in the table below, and their timelines in journal.json.</p>\n";
    std::sort(m_charted.begin(), m_charted.end());
  }

  void table() {
    m_out += "<h2>Every experiment</h2>\n<table class=\"experiments\">\n<thead><tr><th>#</th><th>Experiment</th>"
             "<th>Verdict</th><th>Title</th><th>Owner</th><th>Service</th><th>Risk</th><th>Duration</th>"
             "<th>Reason</th><th>Ticket</th></tr></thead>\n<tbody>\n";
    const std::size_t total = m_results.size();
    ExperimentResult scratch;
    for (std::size_t i = 0; i < total && i < m_options.max_rows; ++i) {
      const ExperimentResult& result = m_results.at(i, scratch);
      const ExperimentInfo& e = result.experiment;
      const bool has_section = std::binary_search(m_charted.begin(), m_charted.end(), i);
      m_out += "<tr><td>" + std::to_string(i + 1) + "</td><td>" +
               (has_section ? "<a href=\"#x" + std::to_string(i) + "\">" + html_text(e.id) + "</a>" : html_text(e.id)) +
               "</td><td>" + verdict_badge(result.verdict) + "</td><td>" + html_text(e.title) + "</td><td>" +
               html_text(e.owner) + "</td><td>" + html_text(e.service) + "</td><td>" + enum_name(e.risk_level) +
               "</td><td>" + html_text(format_duration(std::max(result.duration, Millis(0)))) + "</td><td>" +
               (result.verdict == Verdict::passed ? std::string() : html_text(result.reason)) + "</td><td>" +
               ticket(e.id) + "</td></tr>\n";
      piece_done();
    }
    if (total > m_options.max_rows)
      m_out += "<tr><td colspan=\"10\">" + std::to_string(total - m_options.max_rows) +
               " more experiments; every one is in junit.xml and journal.json.</td></tr>\n";
    m_out += "</tbody>\n</table>\n";
  }

  const RunResult& m_run;
  const ExperimentResults m_results;
  const HtmlReportOptions& m_options;
  const std::function<void(std::string_view)>& m_sink;
  std::string m_out;
  std::vector<std::size_t> m_charted;  // positions with a section, ascending
};

}  // namespace

void write_html_report(const RunResult& run, const std::function<void(std::string_view)>& out, const HtmlReportOptions& options) {
  Page(run, options, out).write();
}

std::string html_report(const RunResult& run, const HtmlReportOptions& options) {
  std::string page;
  write_html_report(run, [&](std::string_view piece) { page += piece; }, options);
  return page;
}

}  // namespace chaosgate
