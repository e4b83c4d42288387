#include "engine/preflight.h"

#include <set>

#include "util/errors.h"
#include "util/redact.h"
#include "util/text.h"

namespace chaosgate {

std::vector<std::string> preflight(const Suite& suite, const ExperimentShelf& experiments, ProbeDriver& probes,
                                   const Cancellation* stop) {
  std::vector<std::string> problems;
  std::set<std::string> checked;
  // Each distinct endpoint once, in the order met: the suite's stop conditions,
  // then each experiment's probes, one experiment at a time.
  const auto check = [&](const Probe& probe) {
    // Commands are the suite's own tools, not endpoints; steady state judges them.
    if (probe.kind == ProbeKind::command) return true;
    const std::string key = probe.kind == ProbeKind::prometheus ? probe.endpoint() + "\n" + probe.prometheus().query
                                                                : probe.endpoint();
    if (!checked.insert(key).second) return true;
    const Observation observation = probes.sample(probe, stop);
    if (stop != nullptr && stop->cancelled()) return false;
    // Redacted here: these lines go into every report as they are, and an
    // endpoint may carry credentials (https://user:password@host).
    if (!observation.reached) {
      problems.push_back(redact(probe.endpoint() + " (probe " + probe.name + "): " + observation.error));
    } else if (probe.kind == ProbeKind::prometheus && !observation.value) {
      problems.push_back(redact("PromQL " + in_quotes(probe.prometheus().query) + " on " + probe.endpoint() + " (probe " +
                                probe.name + ") returned no data"));
    }
    return true;
  };
  for (const auto& probe : suite.stop_conditions)
    if (!check(probe)) return problems;
  for (std::size_t position = 0; position < experiments.size(); ++position) {
    std::optional<Experiment> held;
    const Experiment* experiment = nullptr;
    try {
      experiment = &experiments.get(position, held);
    } catch (const std::exception& e) {
      problems.push_back(redact("experiment " + std::to_string(position + 1) + " of the run's order could not be read back: " + e.what()));
      continue;
    }
    for (const auto* list : {&experiment->steady_state, &experiment->observe, &experiment->stop_conditions})
      for (const auto& probe : *list)
        if (!check(probe)) return problems;
  }
  return problems;
}

void guard_production(const Environment& environment, const std::vector<const ExperimentOutline*>& experiments,
                      bool allow_production) {
  if (!environment.production) return;
  if (!allow_production)
    throw UserError("environment " + in_quotes(environment.name) +
                    " is marked production: refusing to inject faults without --allow-production; nothing was touched");
  std::vector<std::string> refused;
  for (const ExperimentOutline* experiment : experiments)
    if (!experiment->allow_production) refused.emplace_back(experiment->id);
  if (!refused.empty())
    throw UserError("environment " + in_quotes(environment.name) + " is production and these experiments have not opted in " +
                    "(allowProduction: true): " + join(refused, ", ") + "; nothing was touched");
}

}  // namespace chaosgate
