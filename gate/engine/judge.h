#pragma once
// Judging observations against a probe's expectation and tolerance. Pure
// functions: no I/O, no clock.
#include <string>
#include <vector>

#include "engine/ports.h"
#include "model/run_result.h"
#include "model/suite.h"

namespace chaosgate {

// One sample against `probe.expect()`. Unreached observations never pass.
// `observed` reads like "HTTP 503 in 12ms" or "connection refused".
ProbeSample judge_sample(const Probe& probe, const Observation& observation, TimePoint at);

// Text of what a single sample must show, e.g. "status 200, latency <= 500ms".
std::string describe_expectation(const Probe& probe);

// Percentile (0..100) by nearest rank over `values`; 0 for an empty set.
double percentile(std::vector<double> values, double rank);

struct WindowJudgement {
  bool ok = false;
  std::string expected;  // "success ratio >= 0.95, p95 <= 800ms"
  std::string observed;  // "success ratio 0.71 (71/100), p95 1240ms"
};

// The samples of a sampled probe against its tolerance. No samples at all is a
// failure ("no samples taken"), never a pass. Latency percentiles are taken
// over the samples that reached the system.
WindowJudgement judge_window(const Probe& probe, const std::vector<ProbeSample>& samples);

}  // namespace chaosgate
