#include "engine/gate_decision.h"

#include <csignal>

#include "model/experiment_results.h"
#include "util/errors.h"
#include "util/text.h"

namespace chaosgate {

std::optional<FailOn> parse_fail_on(const std::string& text) {
  if (text == "regression") return FailOn::regression;
  if (text == "any") return FailOn::any;
  if (text == "never") return FailOn::never;
  return std::nullopt;
}

namespace {
std::string ids_with(const RunResult& run, std::initializer_list<Verdict> verdicts) {
  const ExperimentResults results(run);
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < results.size(); ++i)
    if (std::find(verdicts.begin(), verdicts.end(), results.verdict(i)) != verdicts.end()) ids.emplace_back(results.id(i));
  return join(ids, ", ");
}
}  // namespace

void decide_gate(RunResult& run, FailOn policy, int signal) {
  const std::size_t failed = run.count(Verdict::failed);
  const std::size_t errors = run.count(Verdict::error) + run.count(Verdict::aborted);
  const std::size_t flaky = run.count(Verdict::flaky);
  if (signal) {
    run.gate = "interrupted";
    run.exit_code = signal == SIGINT ? k_exit_sigint : k_exit_sigterm;
    run.gate_reason = std::string("interrupted by ") + (signal == SIGINT ? "SIGINT" : "SIGTERM") +
                      "; rollbacks ran; the reports cover what finished";
    return;
  }
  if (!run.preflight_problems.empty()) {
    run.gate = "inconclusive";
    run.exit_code = k_exit_environment;
    run.gate_reason = "preflight failed: " + join(run.preflight_problems, "; ") + "; nothing was injected";
    return;
  }
  const bool fails = policy == FailOn::regression ? failed > 0
                     : policy == FailOn::any      ? failed + errors + flaky > 0
                                                  : false;
  if (fails) {
    run.gate = "failed";
    run.exit_code = k_exit_regression;
    run.gate_reason = failed ? std::to_string(failed) + " regression(s): " + ids_with(run, {Verdict::failed})
                             : "--fail-on any: " + ids_with(run, {Verdict::error, Verdict::aborted, Verdict::flaky});
    return;
  }
  if (policy == FailOn::regression && errors > 0) {
    run.gate = "inconclusive";
    run.exit_code = k_exit_environment;
    run.gate_reason = std::to_string(errors) + " experiment(s) could not be judged: " + ids_with(run, {Verdict::error, Verdict::aborted});
    return;
  }
  run.gate = "passed";
  run.exit_code = k_exit_passed;
  run.gate_reason = ExperimentResults(run).empty() ? "no experiment ran"
                    : policy == FailOn::never && failed + errors > 0
                        ? "--fail-on never: " + std::to_string(failed) + " regression(s), " + std::to_string(errors) + " error(s) reported only"
                        : std::to_string(run.count(Verdict::passed) + flaky) + " experiment(s) held" +
                              (flaky ? " (" + std::to_string(flaky) + " flaky: " + ids_with(run, {Verdict::flaky}) + ")" : "");
}

}  // namespace chaosgate
