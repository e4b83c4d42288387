#pragma once
// Before any fault: monitoring is a precondition. Every endpoint the selected
// experiments observe must answer, and every PromQL query must return data.
#include <string>
#include <vector>

#include "engine/experiment_shelf.h"
#include "engine/ports.h"
#include "model/experiment_outline.h"
#include "model/suite.h"

namespace chaosgate {

// Returns what is missing, one line each ("http://127.0.0.1:8080: connection
// refused", "PromQL up == 1 on http://...: no data"); empty when all answer.
// HTTP endpoints count as answering with any status; each endpoint and each
// query is checked once. Once `stop` is cancelled (the gate interrupted) the
// check in progress is given up and no other made: an unreachable monitoring
// of many endpoints would otherwise hold a signal for a timeout each. What
// was given up is no problem; the caller sees the interruption. Each
// experiment is taken from the shelf in turn (read back, in a run); one that
// cannot be is a problem too.
std::vector<std::string> preflight(const Suite& suite, const ExperimentShelf& experiments, ProbeDriver& probes,
                                   const Cancellation* stop = nullptr);

// The environment guard: throws UserError (exit 2) before anything is touched
// when `environment` is production and either --allow-production is missing
// or a selected experiment has not opted in (allowProduction: true).
void guard_production(const Environment& environment, const std::vector<const ExperimentOutline*>& experiments,
                      bool allow_production);

}  // namespace chaosgate
