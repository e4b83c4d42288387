#pragma once
// What the gate decides with before anything runs: the selection, the plan,
// the guards and the incident coverage read these fields of an experiment and
// no others. `run` keeps an outline per experiment and the experiments
// themselves in a spool (engine/experiment_spool.h) from the moment each is
// loaded: the decoded suite, ~1 KiB an experiment, is never held whole.
// Made from an experiment, never kept in step with one.
#include <cstdint>
#include <string>
#include <vector>

#include "model/suite.h"

namespace chaosgate {

struct ExperimentOutline {
  std::uint32_t index = 0;  // the experiment's place in the suite, in load order: where to find it again
  std::string id;
  std::string owner;
  std::string service;
  std::string incident_category;
  std::vector<std::string> targets;
  std::vector<std::string> tags;
  AttackGroup attack_group = AttackGroup::application;
  LifecycleStatus status = LifecycleStatus::draft;
  bool always = false;
  bool allow_production = false;
  bool has_stop_conditions = false;  // its own; the suite's are the suite's
  Millis estimated_duration{0};      // Experiment::estimated_duration()
  SourceLocation location;
};

ExperimentOutline outline_of(const Experiment& experiment, std::uint32_t index);

// One per experiment, `index` its place in `experiments`.
std::vector<ExperimentOutline> outlines_of(const std::vector<Experiment>& experiments);

// Pointers to each, in order: the form the selection and the plan take.
std::vector<const ExperimentOutline*> pointers_to(const std::vector<ExperimentOutline>& outlines);

}  // namespace chaosgate
