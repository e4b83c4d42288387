#include "engine/judge.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "util/text.h"

namespace chaosgate {

namespace {

std::string ms_text(double ms) {
  std::ostringstream out;
  if (ms < 10) out.precision(2), out << std::fixed << ms;
  else out << std::llround(ms);
  out << "ms";
  return out.str();
}

std::string number_text(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

bool status_ok(const Expectation& expect, long status) {
  if (!expect.status_codes.empty())
    return std::find(expect.status_codes.begin(), expect.status_codes.end(), status) != expect.status_codes.end();
  if (expect.status_range) return status >= expect.status_range->first && status <= expect.status_range->second;
  return status >= 200 && status <= 299;  // no status given: any success
}

// Returns an empty string when every check holds, else what failed.
std::string check_body(const Expectation& expect, const std::string& body) {
  if (!expect.body_contains.empty() && body.find(expect.body_contains) == std::string::npos)
    return "body lacks " + in_quotes(expect.body_contains);
  if (!expect.body_regex.empty()) {
    try {
      if (!std::regex_search(body, std::regex(expect.body_regex, std::regex::ECMAScript)))
        return "body does not match /" + expect.body_regex + "/";
    } catch (const std::regex_error&) {
      return "body too complex for /" + expect.body_regex + "/";
    }
  }
  return {};
}

std::string check_json(const Expectation& expect, const std::string& body) {
  if (expect.json.empty()) return {};
  const auto document = nlohmann::json::parse(body, nullptr, false);
  if (document.is_discarded()) return "body is not JSON";
  for (const auto& check : expect.json) {
    nlohmann::json::json_pointer pointer;
    try {
      pointer = nlohmann::json::json_pointer(check.pointer);
    } catch (const nlohmann::json::exception&) {
      return "invalid JSON pointer " + check.pointer;
    }
    if (!document.contains(pointer)) return check.pointer + " is missing";
    const auto& value = document.at(pointer);
    if (!check.equals.empty()) {
      const auto wanted = nlohmann::json::parse(check.equals, nullptr, false);
      if (value != wanted) return check.pointer + " is " + value.dump() + ", expected " + check.equals;
    }
    if (check.compare) {
      if (!value.is_number()) return check.pointer + " is " + value.dump() + ", not a number";
      if (!check.compare->holds(value.get<double>()))
        return check.pointer + " is " + value.dump() + ", expected " + check.compare->to_string();
    }
  }
  return {};
}

}  // namespace

std::string describe_expectation(const Probe& probe) {
  const Expectation& e = probe.expect();
  std::vector<std::string> parts;
  switch (probe.kind) {
    case ProbeKind::http: {
      if (!e.status_codes.empty()) {
        std::vector<std::string> codes;
        for (int code : e.status_codes) codes.push_back(std::to_string(code));
        parts.push_back("status " + join(codes, " or "));
      } else if (e.status_range) {
        parts.push_back("status " + std::to_string(e.status_range->first) + "-" + std::to_string(e.status_range->second));
      } else {
        parts.push_back("status 2xx");
      }
      if (!e.body_contains.empty()) parts.push_back("body contains " + in_quotes(e.body_contains));
      if (!e.body_regex.empty()) parts.push_back("body matches /" + e.body_regex + "/");
      for (const auto& check : e.json)
        parts.push_back(check.pointer + (check.compare ? " " + check.compare->to_string() : " == " + check.equals));
      break;
    }
    case ProbeKind::tcp: parts.push_back("connection accepted"); break;
    case ProbeKind::command:
      parts.push_back("exit " + std::to_string(e.exit_code.value_or(0)));
      if (!e.body_contains.empty()) parts.push_back("output contains " + in_quotes(e.body_contains));
      if (!e.body_regex.empty()) parts.push_back("output matches /" + e.body_regex + "/");
      break;
    case ProbeKind::prometheus:
      parts.push_back("value " + (e.value ? e.value->to_string() : std::string("present")));
      break;
  }
  if (e.latency) parts.push_back("latency " + e.latency->to_string());
  return join(parts, ", ");
}

ProbeSample judge_sample(const Probe& probe, const Observation& observation, TimePoint at) {
  ProbeSample sample;
  sample.at = at;
  sample.latency_ms = observation.latency_ms;
  sample.value = observation.latency_ms;
  sample.reached = observation.reached;
  if (!observation.reached) {
    sample.ok = false;
    sample.observed = observation.error.empty() ? "no answer" : observation.error;
    return sample;
  }
  const Expectation& e = probe.expect();
  std::string problem;
  switch (probe.kind) {
    case ProbeKind::http:
      sample.observed = "HTTP " + std::to_string(observation.status) + " in " + ms_text(observation.latency_ms);
      if (!status_ok(e, observation.status)) problem = "status " + std::to_string(observation.status);
      if (problem.empty()) problem = check_body(e, observation.body);
      if (problem.empty()) problem = check_json(e, observation.body);
      break;
    case ProbeKind::tcp:
      sample.observed = "connected in " + ms_text(observation.latency_ms);
      break;
    case ProbeKind::command:
      sample.value = observation.exit_code;
      sample.observed = "exit " + std::to_string(observation.exit_code) + " in " + ms_text(observation.latency_ms);
      if (observation.exit_code != e.exit_code.value_or(0)) problem = "exit " + std::to_string(observation.exit_code);
      if (problem.empty()) problem = check_body(e, observation.body);
      if (!problem.empty() && problem.rfind("body", 0) == 0) problem.replace(0, 4, "output");
      break;
    case ProbeKind::prometheus:
      if (!observation.value) {
        problem = "query returned no data";
        sample.observed = problem;
        break;
      }
      sample.value = *observation.value;
      sample.observed = "value " + number_text(*observation.value);
      if (e.value && !e.value->holds(*observation.value)) problem = "value " + number_text(*observation.value);
      break;
  }
  if (problem.empty() && e.latency && !e.latency->holds(observation.latency_ms))
    problem = "latency " + ms_text(observation.latency_ms);
  sample.ok = problem.empty();
  if (!sample.ok && sample.observed.find(problem) == std::string::npos) sample.observed = problem + " (" + sample.observed + ")";
  return sample;
}

double percentile(std::vector<double> values, double rank) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  // Nearest rank: the smallest value with at least rank% of the set at or below it.
  const auto index = static_cast<std::size_t>(std::ceil(rank / 100.0 * static_cast<double>(values.size())));
  return values[std::clamp<std::size_t>(index, 1, values.size()) - 1];
}

WindowJudgement judge_window(const Probe& probe, const std::vector<ProbeSample>& samples) {
  WindowJudgement judgement;
  const Tolerance& tolerance = probe.tolerance();
  std::vector<std::string> expected = {"success ratio " + tolerance.success_ratio.to_string()};
  const std::pair<const std::optional<Comparison>*, double> latency_bounds[] = {
      {&tolerance.latency_p50, 50}, {&tolerance.latency_p95, 95}, {&tolerance.latency_p99, 99}};
  for (const auto& [bound, rank] : latency_bounds)
    if (*bound) expected.push_back("p" + std::to_string(static_cast<int>(rank)) + " " + (*bound)->to_string());
  judgement.expected = join(expected, ", ");

  if (samples.empty()) {
    judgement.observed = "no samples taken";
    return judgement;
  }
  std::size_t good = 0;
  std::vector<double> latencies;
  for (const auto& sample : samples) {
    good += sample.ok;
    // Unreached samples have no meaningful latency; they count against the ratio instead.
    if (sample.reached) latencies.push_back(sample.latency_ms);
  }
  const double ratio = static_cast<double>(good) / static_cast<double>(samples.size());
  std::ostringstream ratio_text;
  ratio_text.precision(3);
  ratio_text << "success ratio " << ratio << " (" << good << "/" << samples.size() << ")";
  std::vector<std::string> observed = {ratio_text.str()};
  std::vector<std::string> deviations;
  if (!tolerance.success_ratio.holds(ratio)) deviations.push_back(ratio_text.str());
  for (const auto& [bound, rank] : latency_bounds) {
    if (!*bound) continue;
    const double value = percentile(latencies, rank);
    const std::string text = "p" + std::to_string(static_cast<int>(rank)) + " " + ms_text(value);
    observed.push_back(text);
    if (latencies.empty() || !(*bound)->holds(value)) deviations.push_back(latencies.empty() ? text + " (no latency measured)" : text);
  }
  judgement.ok = deviations.empty();
  judgement.observed = join(judgement.ok ? observed : deviations, ", ");
  return judgement;
}

}  // namespace chaosgate
