#include "summary_markdown.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "model/duration.h"
#include "model/experiment_results.h"
#include "report_text.h"
#include "util/text.h"

namespace chaosgate {

namespace {

constexpr std::size_t k_max_cell = 300;

// Escapes what Markdown (GitLab and GitHub flavours) would act on: emphasis,
// code, links, HTML, table cells, mentions and references; one line.
std::string md(const std::string& value, std::size_t max_bytes = k_max_cell) {
  const std::string clean = clean_text_capped(value, max_bytes, false);
  std::string out;
  out.reserve(clean.size() + 8);
  for (const char c : clean) {
    switch (c) {
      case '\\': case '`': case '*': case '_': case '[': case ']': case '<': case '>': case '|':
      case '#': case '~': case '@': case '!': case '$': case '&':
        out += '\\';
        out += c;
        break;
      default: out += c;
    }
  }
  return out;
}

// A URL for a link target: no characters that end the target, break out of it
// or split the table cell it sits in.
std::string link_target(const std::string& url) {
  std::string out;
  for (const char c : clean_text_capped(url, 2048, false)) {
    switch (c) {
      case ' ': out += "%20"; break;
      case '"': out += "%22"; break;
      case '(': out += "%28"; break;
      case ')': out += "%29"; break;
      case '<': out += "%3C"; break;
      case '>': out += "%3E"; break;
      case '\\': out += "%5C"; break;
      case '|': out += "%7C"; break;
      default: out += c;
    }
  }
  return out;
}

std::string link(const std::string& label, const std::string& url) { return "[" + md(label) + "](" + link_target(url) + ")"; }

// " · ticket KEY" (a link when the tracker gave a URL) for the experiment's
// ticket, or nothing: how the regression list and the table both name it.
std::string ticket_suffix(const SummaryOptions& options, const std::string& id) {
  const auto it = options.ticket_links.find(id);
  if (it == options.ticket_links.end() || it->second.empty()) return "";
  if (!is_web_url(it->second)) return " \u00B7 ticket " + md(it->second);
  const std::string& url = it->second;
  const std::size_t slash = url.find_last_of('/');
  const std::string label = slash != std::string::npos && slash + 1 < url.size() ? url.substr(slash + 1) : "ticket";
  return " \u00B7 ticket " + link(label, url);
}

std::string icon(Verdict verdict) {
  switch (verdict) {
    case Verdict::passed: return "\u2705 passed";
    case Verdict::failed: return "\u274C **failed**";
    case Verdict::flaky: return "\u26A0\uFE0F flaky";
    case Verdict::error: return "\u2757 error";
    case Verdict::skipped: return "\u23ED\uFE0F skipped";
    case Verdict::aborted: return "\U0001F6D1 aborted";
  }
  return "?";
}

std::string gate_heading(const RunResult& run) {
  // A drill decides no release: its heading must not read like a gate's.
  const std::string what = run.drill ? "drill " : "gate ";
  if (run.gate == "passed") return "\u2705 chaosgate: " + what + "passed";
  if (run.gate == "failed") return "\u274C chaosgate: " + what + "failed";
  if (run.gate == "interrupted") return "\U0001F6D1 chaosgate: " + (run.drill ? what : std::string("run ")) + "interrupted";
  return "\u2757 chaosgate: " + what + md(run.gate.empty() ? "inconclusive" : run.gate);
}

// The ids of one kind in a category's line: the first few, then how many
// more (a category of a large suite names thousands; `chaosgate coverage`
// lists them all).
class IdList {
public:
  void add(std::string_view id, const std::string& note = {}) {
    if (m_shown.size() < k_max_shown) m_shown.push_back(md(std::string(id)) + note);
    ++m_total;
  }
  bool empty() const { return m_total == 0; }
  std::string text() const {
    std::string out = join(m_shown, ", ");
    if (m_total > m_shown.size()) out += " and " + std::to_string(m_total - m_shown.size()) + " more";
    return out;
  }

private:
  static constexpr std::size_t k_max_shown = 10;
  std::vector<std::string> m_shown;
  std::size_t m_total = 0;
};

// Each result's verdict by experiment id: positions sorted by their ids, for
// lookup (a map of 10,000 ids was ~1 MB at the end of a run, pairs of a view
// and a verdict 0.24 MB; this is 4 bytes an experiment).
class VerdictsById {
public:
  explicit VerdictsById(const ExperimentResults& results) : m_results(results) {
    m_positions.reserve(results.size());
    for (std::size_t i = 0; i < results.size(); ++i) m_positions.push_back(static_cast<std::uint32_t>(i));
    std::stable_sort(m_positions.begin(), m_positions.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return results.id(a) < results.id(b); });
  }
  // The verdict of the last result with `id`, as the run lists them.
  std::optional<Verdict> find(std::string_view id) const {
    const auto after = std::upper_bound(m_positions.begin(), m_positions.end(), id,
                                        [&](std::string_view key, std::uint32_t p) { return key < m_results.id(p); });
    if (after == m_positions.begin() || m_results.id(*std::prev(after)) != id) return std::nullopt;
    return m_results.verdict(*std::prev(after));
  }

private:
  const ExperimentResults m_results;  // a view of the run: copied, as the caller's may be a temporary
  std::vector<std::uint32_t> m_positions;
};

// Incident categories against this run: which the promoted experiments that
// held here cover, which regressed, and the blind spots (listed first, as the
// journal keeps them). Capped: the summary is not the coverage report.
void add_coverage(const RunResult& run, std::vector<std::string>& lines) {
  if (run.incident_coverage.empty()) return;
  const VerdictsById verdicts{ExperimentResults(run)};
  constexpr std::size_t k_max_categories = 30;
  std::size_t covered = 0, blind = 0;
  std::vector<std::string> entries;
  for (const auto& category : run.incident_coverage) {
    IdList held, regressed, unjudged;
    for (const auto& id : category.experiments) {
      const auto verdict = verdicts.find(id);
      if (!verdict || *verdict == Verdict::skipped) continue;
      if (*verdict == Verdict::passed || *verdict == Verdict::flaky) held.add(id);
      else if (*verdict == Verdict::failed) regressed.add(id);
      else unjudged.add(id, " " + enum_name(*verdict));
    }
    std::string entry = "- ";
    if (category.experiments.empty()) {
      ++blind;
      entry += "\u274C **" + md(category.id) + "**: blind spot, no promoted experiment";
    } else if (!regressed.empty()) {
      entry += "\u26A0\uFE0F **" + md(category.id) + "**: regressed " + regressed.text() +
               (held.empty() ? "" : "; held " + held.text());
    } else if (!held.empty()) {
      ++covered;
      entry += "\u2705 **" + md(category.id) + "**: held " + held.text();
    } else if (!unjudged.empty()) {
      entry += "\u2757 **" + md(category.id) + "**: not judged here (" + unjudged.text() + ")";
    } else {
      entry += "\u23ED\uFE0F **" + md(category.id) + "**: not run here (" + std::to_string(category.experiments.size()) +
               " promoted)";
    }
    if (!category.incidents.empty()) entry += " \u00B7 " + md(join(category.incidents, ", "), 200);
    entries.push_back(std::move(entry));
  }
  lines.push_back("### Incident coverage");
  lines.push_back("");
  lines.push_back(std::to_string(covered) + " of " + std::to_string(run.incident_coverage.size()) +
                  " incident categories covered by promoted experiments that held in this run; " + std::to_string(blind) +
                  " blind spot(s).");
  lines.push_back("");
  for (std::size_t i = 0; i < entries.size() && i < k_max_categories; ++i) lines.push_back(entries[i]);
  if (entries.size() > k_max_categories)
    lines.push_back("- \u2026 " + std::to_string(entries.size() - k_max_categories) + " more: `chaosgate coverage`");
  lines.push_back("");
}

std::string risk(const ExperimentInfo& e) {
  return enum_name(e.risk_level) + " (" + std::to_string(e.likelihood) + "\u00D7" + std::to_string(e.impact) + ")";
}

// Lines with a byte budget after a fixed head: the head and the tail always
// fit (they are small and bounded); the body lines are taken while they fit.
// Each goes to the writer as it is taken: summary.md of 10,000 experiments
// (~0.5 MB) is never held whole.
class Budget {
public:
  Budget(const SummaryWriter& write, std::size_t max) : m_write(write), m_max(max) {}
  void head(std::string_view text) { put(text); }
  bool add(std::string_view line) {
    if (m_full || m_written + line.size() + 1 > m_max) {
      m_full = true;
      return false;
    }
    put(line);
    put("\n");
    return true;
  }
  bool full() const { return m_full; }
  std::size_t written() const { return m_written; }

private:
  void put(std::string_view text) {
    m_write(text);
    m_written += text.size();
  }
  const SummaryWriter& m_write;
  std::size_t m_max;
  std::size_t m_written = 0;
  bool m_full = false;
};

std::string context_line(const RunResult& run) {
  std::string out = "Suite **" + md(run.suite_name) + "**" + (run.suite_version.empty() ? "" : " " + md(run.suite_version)) +
                    " \u00B7 environment **" + md(run.environment) + "**" + (run.production ? " (production)" : "");
  if (!run.shard.empty()) out += " \u00B7 shard " + md(run.shard);
  if (run.drill) out += " \u00B7 **drill** (a replay of promoted experiments; no release gated)";
  out += " \u00B7 " + std::to_string(ExperimentResults(run).size()) + " experiment(s) in " +
         format_duration(std::max(milliseconds_between(run.started, run.finished), Millis::zero()));
  const auto value = [&](const char* key) {
    const auto it = run.ci.values.find(key);
    return it == run.ci.values.end() ? std::string() : it->second;
  };
  if (const auto url = value("pipeline_url"); is_web_url(url)) out += " \u00B7 " + link("pipeline", url);
  if (const auto url = value("job_url"); is_web_url(url)) out += " \u00B7 " + link("job", url);
  if (const auto commit = value("commit"); !commit.empty()) out += " \u00B7 commit " + md(commit.substr(0, 12));
  out += " \u00B7 run " + md(run.run_id);
  return out;
}

}  // namespace

void write_summary_markdown(const RunResult& run, const SummaryOptions& options, const SummaryWriter& write) {
  std::string head = "## " + gate_heading(run) + "\n\n" + md(run.gate_reason, 2000) + " (exit " + std::to_string(run.exit_code) +
                     ")\n\n" + context_line(run) + "\n\n";
  for (const auto& problem : run.preflight_problems) head += "- preflight: " + md(problem, 1000) + "\n";
  for (const auto& notice : run.notices) head += "- note: " + md(notice, 1000) + "\n";
  if (!run.preflight_problems.empty() || !run.notices.empty()) head += "\n";
  // Room for the closing pointer, whatever the numbers in it.
  const std::size_t tail_room = 400;
  const std::size_t body_room = options.max_chars > head.size() + tail_room ? options.max_chars - head.size() - tail_room : 0;
  if (options.max_chars < head.size() + tail_room) head = std::string(utf8_prefix(head, options.max_chars / 2)) + "\n\n";

  Budget body(write, head.size() + body_room);
  body.head(utf8_prefix(head, options.max_chars));
  const ExperimentResults results(run);
  const std::size_t regressions = run.count(Verdict::failed);
  std::size_t shown_regressions = 0, shown_rows = 0;
  if (regressions > 0) {
    body.add("### Regressions (" + std::to_string(regressions) + ")");
    body.add("");
    ExperimentResult scratch;
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (results.verdict(i) != Verdict::failed) continue;
      const ExperimentResult& result = results.at(i, scratch);
      const ExperimentInfo& e = result.experiment;
      std::string entry = "- **" + md(e.id) + "**: " + md(e.title) + " \u00B7 owner **" + md(e.owner) + "** \u00B7 risk " + risk(e) +
                          ticket_suffix(options, e.id) + "\n  ";
      if (!result.deviated_probe.empty())
        entry += "probe " + md(result.deviated_probe) + ": expected " + md(result.expected) + ", observed **" + md(result.observed) + "**";
      else
        entry += md(result.reason, 1000);
      if (!body.add(entry)) break;
      ++shown_regressions;
    }
    body.add("");
  }
  std::vector<std::string> coverage;
  add_coverage(run, coverage);
  for (const auto& line : coverage)
    if (!body.add(line)) break;
  if (!body.full()) {
    body.add("### All experiments");
    body.add("");
    body.add("| experiment | verdict | owner | risk | time | why |");
    body.add("| --- | --- | --- | --- | ---: | --- |");
    for (const auto& result : results) {
      const ExperimentInfo& e = result.experiment;
      const bool good = result.verdict == Verdict::passed;
      if (!body.add("| " + md(e.id) + " | " + icon(result.verdict) + " | " + md(e.owner) + " | " + risk(e) + " | " +
                    format_duration(result.duration) + " | " + (good ? "" : md(result.reason, 200)) +
                    ticket_suffix(options, e.id) + " |"))
        break;
      ++shown_rows;
    }
  }

  const std::string page = options.html_report ? ", report.html (timelines of what did not pass)" : "";
  std::string tail;
  if (shown_regressions < regressions || shown_rows < results.size()) {
    tail = "\n_Summary cut to stay under " + std::to_string(options.max_chars) + " characters: " +
           std::to_string(regressions - shown_regressions) + " regression(s) and " +
           std::to_string(results.size() - shown_rows) +
           " table row(s) not shown. Everything is in junit.xml, chaosgate.sarif and journal.json" + page +
           " among the job's artifacts._\n";
  } else {
    tail = "\n_Reports: junit.xml, chaosgate.sarif, journal.json" + page + " (job artifacts)._\n";
  }
  // Cut only when max_chars leaves no room for it (a few hundred bytes).
  write(utf8_prefix(tail, options.max_chars > body.written() ? options.max_chars - body.written() : 0));
}

std::string summary_markdown(const RunResult& run, const SummaryOptions& options) {
  std::string text;
  // Its room reserved first: grown by doubling, a large run's note held the
  // old and the new text at once (reserved room not written is not resident).
  text.reserve(options.max_chars + 1);
  write_summary_markdown(run, options, [&](std::string_view piece) { text += piece; });
  return text;
}

}  // namespace chaosgate
