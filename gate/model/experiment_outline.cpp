#include "model/experiment_outline.h"

namespace chaosgate {

ExperimentOutline outline_of(const Experiment& experiment, std::uint32_t index) {
  ExperimentOutline outline;
  outline.index = index;
  outline.id = experiment.id;
  outline.owner = experiment.owner;
  outline.service = experiment.service;
  outline.incident_category = experiment.incident_category;
  outline.targets = experiment.targets;
  outline.tags = experiment.tags;
  outline.attack_group = experiment.attack_group;
  outline.status = experiment.status;
  outline.always = experiment.always;
  outline.allow_production = experiment.allow_production;
  outline.has_stop_conditions = !experiment.stop_conditions.empty();
  outline.estimated_duration = experiment.estimated_duration();
  outline.location = experiment.location;
  return outline;
}

std::vector<ExperimentOutline> outlines_of(const std::vector<Experiment>& experiments) {
  std::vector<ExperimentOutline> outlines;
  outlines.reserve(experiments.size());
  for (const auto& experiment : experiments) outlines.push_back(outline_of(experiment, static_cast<std::uint32_t>(outlines.size())));
  return outlines;
}

std::vector<const ExperimentOutline*> pointers_to(const std::vector<ExperimentOutline>& outlines) {
  std::vector<const ExperimentOutline*> pointers;
  pointers.reserve(outlines.size());
  for (const auto& outline : outlines) pointers.push_back(&outline);
  return pointers;
}

}  // namespace chaosgate
