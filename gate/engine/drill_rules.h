#pragma once
// The stricter rules of a drill: promoted experiments replayed on purpose,
// possibly in production, so each must be able to stop itself, and production
// needs a deliberate, typed confirmation on top of --allow-production.
#include <string>
#include <vector>

#include "model/experiment_outline.h"
#include "model/suite.h"

namespace chaosgate {

struct DrillConsent {
  bool allow_production = false;  // --allow-production
  std::string confirmation;       // --confirm: must be the environment's name in production
};

// Throws UserError (exit 2) before anything is touched when an experiment
// declares no stop condition (neither its own nor the suite's, each named with
// file:line), or when the environment is production and the consent is
// missing or confirms another environment. Experiments must still opt in to
// production themselves (guard_production).
void guard_drill(const Suite& suite, const Environment& environment, const std::vector<const ExperimentOutline*>& experiments,
                 const DrillConsent& consent);

}  // namespace chaosgate
