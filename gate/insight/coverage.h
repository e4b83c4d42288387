#pragma once
// Coverage of a suite: which incident categories and attack groups its
// PROMOTED experiments (the ones the gate runs) exercise, and where the blind
// spots are. Pure: computed from the suite alone.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "model/experiment_outline.h"
#include "model/suite.h"
#include "model/text_list.h"

namespace chaosgate::insight {

struct CategoryCoverage {
  std::string id;
  std::string title;
  std::vector<std::string> incidents;    // linked incident ids
  TextList experiments;                  // promoted experiments in this category, suite order
  std::vector<std::string> services;     // of those experiments, sorted, unique
  std::vector<std::string> candidates;   // draft / candidate experiments in this category

  bool blind_spot() const { return experiments.empty(); }
};

struct Coverage {
  std::vector<CategoryCoverage> categories;  // blind spots first, then catalog order
  std::vector<std::string> services;         // catalog order
  std::vector<AttackGroup> attack_groups;    // all five, in vocabulary order
  std::vector<std::vector<int>> promoted;    // [attack group][service]: promoted experiments
  int promoted_experiments = 0;

  int blind_spots() const;
};

Coverage build_coverage(const Catalog& catalog, std::span<const ExperimentOutline> experiments);

// "2 candidates would cover it (a, b)"; empty when there are none.
std::string candidates_note(const CategoryCoverage& category);

// Stable camelCase keys: suite-independent shape, blind spots first.
void to_json(nlohmann::json& out, const Coverage& value);

}  // namespace chaosgate::insight
