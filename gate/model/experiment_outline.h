#pragma once
// What the gate decides with before anything runs: the selection, the plan,
// the guards and the incident coverage read these fields of an experiment and
// no others. `run` keeps an outline per experiment and the experiments
// themselves in a spool (engine/experiment_spool.h) from the moment each is
// loaded: the decoded suite, ~1 KiB an experiment, is never held whole.
// Made from an experiment, never kept in step with one.
//
// Small, since one is kept per experiment through loading and planning: the
// names are views into an OutlineNames, which holds each distinct name and
// each distinct list of names once (a suite's experiments share a few
// owners, services, categories and target lists). ~150 bytes an outline
// where strings and vectors of its own took ~330.
#include <cstdint>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "model/suite.h"

namespace chaosgate {

using NameList = std::span<const std::string_view>;

// Where outlines' names live; they are valid while it is (it can be moved).
class OutlineNames {
public:
  // Each distinct name once (owners, services, categories, targets, tags).
  std::string_view name(std::string_view text);
  // A name no other shares (an id): kept without being looked up.
  std::string_view unique(std::string_view text);
  // Each distinct list of names once, in its order.
  NameList list(const std::vector<std::string>& names);

private:
  std::vector<std::unique_ptr<char[]>> m_blocks;  // the characters; a block is never moved
  char* m_free = nullptr;
  std::size_t m_left = 0;
  std::unordered_set<std::string_view> m_names;
  std::set<std::vector<std::string_view>> m_lists;  // a node's vector is never moved or changed
};

struct ExperimentOutline {
  std::uint32_t index = 0;  // the experiment's place in the suite, in load order: where to find it again
  AttackGroup attack_group = AttackGroup::application;
  LifecycleStatus status = LifecycleStatus::draft;
  bool always = false;
  bool allow_production = false;
  bool has_stop_conditions = false;  // its own; the suite's are the suite's
  Millis estimated_duration{0};      // Experiment::estimated_duration()
  std::string_view id;
  std::string_view owner;
  std::string_view service;
  std::string_view incident_category;
  NameList targets;
  NameList tags;
  SourceLocation location;
};

// Its names kept in `names`.
ExperimentOutline outline_of(const Experiment& experiment, std::uint32_t index, OutlineNames& names);

// Outlines with the names they point into.
struct Outlines {
  OutlineNames names;
  std::vector<ExperimentOutline> list;
};

// One per experiment, `index` its place in `experiments`.
Outlines outlines_of(const std::vector<Experiment>& experiments);

// Pointers to each, in order: the form the selection and the plan take.
std::vector<const ExperimentOutline*> pointers_to(std::span<const ExperimentOutline> outlines);

}  // namespace chaosgate
