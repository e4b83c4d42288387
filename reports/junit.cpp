#include "junit.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>

#include "model/experiment_results.h"
#include "report_text.h"
#include "xml_writer.h"

namespace chaosgate {

namespace {

std::string seconds(std::chrono::milliseconds duration) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", static_cast<double>(std::max<long long>(duration.count(), 0)) / 1000.0);
  return buffer;
}

std::string offset(TimePoint at, TimePoint origin) {
  const auto ms = milliseconds_between(origin, at).count();
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%+.3fs", static_cast<double>(ms) / 1000.0);
  return buffer;
}

// "++xx-+": one character per sample (ok, failed, no answer), at most 64.
std::string sample_strip(const std::vector<ProbeSample>& samples) {
  std::string strip;
  for (std::size_t i = 0; i < samples.size() && i < 64; ++i) strip += samples[i].ok ? '+' : samples[i].reached ? 'x' : '-';
  if (samples.size() > 64) strip += "...(" + std::to_string(samples.size()) + ")";
  return strip;
}

// The short form of what happened: probes and actions of every attempt, in
// time order, relative to the experiment's start.
std::string timeline(const ExperimentResult& result) {
  std::string out;
  for (const auto& attempt : result.attempts) {
    out += "attempt " + std::to_string(attempt.number) + ": " + enum_name(attempt.verdict) + " in " + seconds(attempt.duration) +
           "s" + (attempt.reason.empty() ? "" : " - " + attempt.reason) + "\n";
    std::vector<std::pair<TimePoint, std::string>> lines;
    for (const auto& probe : attempt.probes) {
      std::string line = "  " + offset(probe.started, result.started) + " " + enum_name(probe.phase) + " probe " + probe.probe +
                         (probe.ok ? ": ok, " : ": DEVIATED, ") + probe.observed;
      if (!probe.ok && !probe.expected.empty()) line += " (expected " + probe.expected + ")";
      if (probe.samples.size() > 1) line += " [" + sample_strip(probe.samples) + "]";
      lines.emplace_back(probe.started, std::move(line));
    }
    for (const auto& action : attempt.actions)
      lines.emplace_back(action.started, "  " + offset(action.started, result.started) + (action.rollback ? " rollback " : " action ") +
                                             action.action + (action.ok ? ": ok, " : ": FAILED, ") + action.detail);
    std::stable_sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [at, line] : lines) out += line + "\n";
  }
  return out;
}

std::string failure_message(const ExperimentResult& result) {
  if (!result.deviated_probe.empty())
    return "probe " + result.deviated_probe + " deviated: expected " + result.expected + ", observed " + result.observed;
  return result.reason.empty() ? enum_name(result.verdict) : result.reason;
}

std::string about(const ExperimentResult& result, const RunResult& run) {
  const ExperimentInfo& e = result.experiment;
  std::string out = "owner " + e.owner + ", service " + e.service + ", risk " + enum_name(e.risk_level) + " (likelihood " +
                    std::to_string(e.likelihood) + " x impact " + std::to_string(e.impact) + "), attack group " +
                    enum_name(e.attack_group) + ", incident category " + e.incident_category + "\n";
  if (!result.fingerprint.empty()) out += "fingerprint " + result.fingerprint + "\n";
  if (!e.location.file.empty()) out += "defined at " + e.location.to_string() + "\n";
  out += "suite " + run.suite_name + " (sha256 " + run.suite_digest + ")\n";
  return out;
}

class Writer {
public:
  Writer(const RunResult& run, const JunitLimits& limits, const std::function<void(std::string_view)>& out)
      : m_run(run), m_results(run), m_limits(limits), m_out(out), m_printer() {}

  void write() {
    // Services in order of first appearance, so the file follows the plan.
    // Positions, not results: those of `chaosgate run` are read back one at a time.
    std::vector<std::string> services;
    std::map<std::string, Service> by_service;
    for (std::size_t position = 0; const auto& result : m_results) {
      const std::string& name = result.experiment.service.empty() ? k_no_service : result.experiment.service;
      auto& service = by_service[name];
      if (service.positions.empty()) {
        services.push_back(name);
        service.started = result.started;
      }
      service.positions.push_back(static_cast<std::uint32_t>(position++));
      service.counts.add(result);
    }
    Counts total;
    for (const auto& service : services) total += by_service[service].counts;
    total.tests += m_run.preflight_problems.size();
    total.errors += m_run.preflight_problems.size();

    m_printer.declaration("xml version=\"1.0\" encoding=\"UTF-8\"");
    m_printer.open("testsuites");
    attribute("name", (m_run.drill ? "chaosgate drill " : "chaosgate ") + m_run.suite_name);
    m_printer.attribute("tests", static_cast<std::int64_t>(total.tests));
    m_printer.attribute("failures", static_cast<std::int64_t>(total.failures));
    m_printer.attribute("errors", static_cast<std::int64_t>(total.errors));
    m_printer.attribute("time", seconds(milliseconds_between(m_run.started, m_run.finished)));
    if (!m_run.preflight_problems.empty()) write_preflight();
    for (const auto& service : services) write_suite(service, by_service[service]);
    m_printer.close();
    m_printer.drain(m_out);
  }

private:
  static constexpr std::size_t k_piece_bytes = 64 * 1024;
  static constexpr const char* k_no_service = "(no service)";

  struct Counts {
    std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
    std::chrono::milliseconds time{0};
    void add(const ExperimentResult& result) {
      ++tests;
      time += std::max(result.duration, std::chrono::milliseconds(0));
      if (result.verdict == Verdict::failed || result.verdict == Verdict::aborted) ++failures;
      if (result.verdict == Verdict::error) ++errors;
      if (result.verdict == Verdict::skipped) ++skipped;
    }
    Counts& operator+=(const Counts& other) {
      tests += other.tests, failures += other.failures, errors += other.errors, skipped += other.skipped, time += other.time;
      return *this;
    }
  };

  struct Service {
    std::vector<std::uint32_t> positions;  // plan order (4 bytes: 10,000 of them are at the reports' peak)
    Counts counts;
    TimePoint started;  // of its first experiment
  };

  void attribute(const char* name, const std::string& value) {
    m_printer.attribute(name, clean_text_capped(value, m_limits.max_attribute_bytes, false));
  }

  void property(const std::string& name, const std::string& value) {
    m_printer.open("property");
    attribute("name", name);
    attribute("value", value);
    m_printer.close();
  }

  // Element text within the per-body and the total budget.
  void body(const std::string& text) {
    std::string clean = clean_text_capped(text, m_limits.max_body_bytes);
    if (m_body_bytes + clean.size() > m_limits.max_total_body_bytes)
      clean = "(left out: junit.xml reached its size limit; the full record is in journal.json)";
    m_body_bytes += clean.size();
    m_printer.text(clean);
  }

  void drain_when_full() {
    if (m_printer.str().size() >= k_piece_bytes) m_printer.drain(m_out);
  }

  void write_preflight() {
    const std::size_t n = m_run.preflight_problems.size();
    m_printer.open("testsuite");
    m_printer.attribute("name", "preflight");
    m_printer.attribute("tests", static_cast<std::int64_t>(n));
    m_printer.attribute("failures", std::int64_t{0});
    m_printer.attribute("errors", static_cast<std::int64_t>(n));
    m_printer.attribute("skipped", std::int64_t{0});
    m_printer.attribute("time", "0.000");
    for (const auto& problem : m_run.preflight_problems) {
      m_printer.open("testcase");
      attribute("classname", "chaosgate.preflight");
      attribute("name", "preflight: " + problem);
      m_printer.attribute("time", "0.000");
      m_printer.open("error");
      m_printer.attribute("type", "preflight");
      attribute("message", problem + " (nothing was injected)");
      m_printer.close();
      m_printer.close();
    }
    m_printer.close();
  }

  void write_suite(const std::string& name, const Service& service) {
    const Counts& c = service.counts;
    m_printer.open("testsuite");
    attribute("name", name);
    m_printer.attribute("tests", static_cast<std::int64_t>(c.tests));
    m_printer.attribute("failures", static_cast<std::int64_t>(c.failures));
    m_printer.attribute("errors", static_cast<std::int64_t>(c.errors));
    m_printer.attribute("skipped", static_cast<std::int64_t>(c.skipped));
    m_printer.attribute("time", seconds(c.time));
    m_printer.attribute("timestamp", format_time(service.started));

    m_printer.open("properties");
    property("chaosgate.suite", m_run.suite_name + (m_run.suite_version.empty() ? "" : " " + m_run.suite_version));
    property("chaosgate.suite_digest", m_run.suite_digest);
    property("chaosgate.run_id", m_run.run_id);
    property("chaosgate.environment", m_run.environment);
    if (m_run.drill) property("chaosgate.drill", "true");
    ExperimentResult scratch;
    for (const std::size_t position : service.positions) {
      const ExperimentResult* result = &m_results.at(position, scratch);
      const ExperimentInfo& e = result->experiment;
      property(e.id + ".owner", e.owner);
      property(e.id + ".service", e.service);
      property(e.id + ".incident_category", e.incident_category);
      property(e.id + ".attack_group", enum_name(e.attack_group));
      property(e.id + ".risk.likelihood", std::to_string(e.likelihood));
      property(e.id + ".risk.impact", std::to_string(e.impact));
      property(e.id + ".risk.level", enum_name(e.risk_level));
      if (!result->fingerprint.empty()) property(e.id + ".fingerprint", result->fingerprint);
      if (result->verdict == Verdict::flaky) property(e.id + ".flaky", "true");
      drain_when_full();
    }
    m_printer.close();

    for (const std::size_t position : service.positions) {
      write_case(m_results.at(position, scratch));
      drain_when_full();
    }
    m_printer.close();
  }

  void write_case(const ExperimentResult& result) {
    const ExperimentInfo& e = result.experiment;
    m_printer.open("testcase");
    attribute("classname", e.owner + "." + e.service);
    attribute("name", e.id + ": " + e.title);
    m_printer.attribute("time", seconds(result.duration));
    switch (result.verdict) {
      case Verdict::failed:
      case Verdict::aborted:
        m_printer.open("failure");
        m_printer.attribute("type", result.verdict == Verdict::failed ? "regression" : "aborted");
        attribute("message", failure_message(result));
        body(timeline(result));
        m_printer.close();
        break;
      case Verdict::error:
        m_printer.open("error");
        m_printer.attribute("type", "error");
        attribute("message", failure_message(result));
        body(timeline(result));
        m_printer.close();
        break;
      case Verdict::skipped:
        m_printer.open("skipped");
        attribute("message", result.reason.empty() ? "skipped" : result.reason);
        m_printer.close();
        break;
      case Verdict::flaky: {
        // Surefire's convention for "passed on a later attempt": the case
        // passes, and the failed attempt is kept beside it.
        const auto failed = std::find_if(result.attempts.begin(), result.attempts.end(),
                                          [](const Attempt& a) { return a.verdict != Verdict::passed; });
        m_printer.open("flakyFailure");
        m_printer.attribute("type", "flaky");
        attribute("message", failed != result.attempts.end() && !failed->reason.empty() ? failed->reason : failure_message(result));
        m_printer.close();
        break;
      }
      case Verdict::passed:
        break;
    }
    if (result.verdict != Verdict::passed && result.verdict != Verdict::skipped) {
      m_printer.open("system-out");
      std::string note = about(result, m_run);
      if (result.verdict == Verdict::flaky)
        note = "FLAKY: the hypothesis held only on attempt " + std::to_string(result.attempts.size()) + " of " +
               std::to_string(result.attempts.size()) + "; the case passes but needs a look.\n" + note + timeline(result);
      body(note);
      m_printer.close();
    }
    m_printer.close();
  }

  const RunResult& m_run;
  const ExperimentResults m_results;
  const JunitLimits& m_limits;
  const std::function<void(std::string_view)>& m_out;
  XmlWriter m_printer;
  std::size_t m_body_bytes = 0;
};

}  // namespace

void write_junit(const RunResult& run, const std::function<void(std::string_view)>& out, const JunitLimits& limits) {
  Writer(run, limits, out).write();
}

std::string junit_xml(const RunResult& run, const JunitLimits& limits) {
  std::string xml;
  write_junit(run, [&](std::string_view piece) { xml += piece; }, limits);
  return xml;
}

}  // namespace chaosgate
