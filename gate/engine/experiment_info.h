#pragma once
#include "model/run_result.h"
#include "model/suite.h"

namespace chaosgate {

// The experiment as the journal keeps it: catalog facts resolved (category
// title, linked incidents, risk level) and a digest of its definition, so a
// changed experiment is told apart from the one that was promoted.
ExperimentInfo make_experiment_info(const Suite& suite, const Experiment& experiment);

// sha256 of what the experiment does and judges (probes, actions, targets,
// timeouts); titles, texts and its lifecycle status are left out.
std::string definition_digest(const Experiment& experiment);

}  // namespace chaosgate
