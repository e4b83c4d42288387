#include "engine/drill_rules.h"

#include "util/errors.h"
#include "util/text.h"

namespace chaosgate {

void guard_drill(const Suite& suite, const Environment& environment, const std::vector<const ExperimentOutline*>& experiments,
                 const DrillConsent& consent) {
  if (suite.stop_conditions.empty()) {
    std::vector<std::string> unguarded;
    for (const ExperimentOutline* experiment : experiments)
      if (!experiment->has_stop_conditions)
        unguarded.push_back(experiment->location.to_string() + ": " + std::string(experiment->id));
    if (!unguarded.empty())
      throw UserError("a drill needs a stop condition for every experiment (its own stopConditions or the suite's); "
                      "none declared for: " + join(unguarded, "; ") + "; nothing was touched");
  }
  if (!environment.production) return;
  if (!consent.allow_production)
    throw UserError("environment " + in_quotes(environment.name) +
                    " is marked production: a drill there needs --allow-production and --confirm " + environment.name +
                    "; nothing was touched");
  if (consent.confirmation != environment.name)
    throw UserError("environment " + in_quotes(environment.name) + " is production: --confirm must repeat its name (" +
                    (consent.confirmation.empty() ? std::string("missing") : "got " + in_quotes(consent.confirmation)) +
                    "); nothing was touched");
}

}  // namespace chaosgate
