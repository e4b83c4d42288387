#include "insight/coverage.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "util/text.h"

namespace chaosgate::insight {

namespace {

constexpr AttackGroup k_attack_groups[] = {AttackGroup::network, AttackGroup::resource, AttackGroup::state,
                                           AttackGroup::application, AttackGroup::dependency};

bool is_candidate(LifecycleStatus status) {
  return status == LifecycleStatus::draft || status == LifecycleStatus::candidate;  // retired ones will not come back on their own
}

// Counted first and each list made to size: `run` builds this at its memory
// peak, and a list grown by doubling (or one service an experiment, sorted at
// the end) was ~1 MB more there at 10,000 experiments.
CategoryCoverage cover(const IncidentCategory& category, std::span<const ExperimentOutline> experiments) {
  CategoryCoverage result{category.id, category.title, category.incidents, {}, {}, {}};
  std::size_t promoted = 0, promoted_characters = 0, candidates = 0;
  for (const auto& experiment : experiments) {
    if (experiment.incident_category != category.id) continue;
    if (experiment.status == LifecycleStatus::promoted) {
      ++promoted;
      promoted_characters += experiment.id.view().size();
    }
    candidates += is_candidate(experiment.status);
  }
  result.experiments.reserve(promoted, promoted_characters);
  result.candidates.reserve(candidates);
  for (const auto& experiment : experiments) {
    if (experiment.incident_category != category.id) continue;
    if (experiment.status == LifecycleStatus::promoted) {
      result.experiments.push_back(experiment.id);
      const std::string_view service = experiment.service;
      const auto at = std::lower_bound(result.services.begin(), result.services.end(), service);
      if (at == result.services.end() || *at != service) result.services.insert(at, std::string(service));
    } else if (is_candidate(experiment.status)) {
      result.candidates.emplace_back(experiment.id);
    }
  }
  return result;
}

}  // namespace

int Coverage::blind_spots() const {
  return static_cast<int>(std::count_if(categories.begin(), categories.end(),
                                        [](const CategoryCoverage& c) { return c.blind_spot(); }));
}

Coverage build_coverage(const Catalog& catalog, std::span<const ExperimentOutline> experiments) {
  Coverage result;
  for (const auto& category : catalog.incident_categories) result.categories.push_back(cover(category, experiments));
  // Blind spots first: they are what this report is for.
  std::stable_partition(result.categories.begin(), result.categories.end(),
                        [](const CategoryCoverage& c) { return c.blind_spot(); });

  for (const auto& service : catalog.services) result.services.push_back(service.id);
  result.attack_groups.assign(std::begin(k_attack_groups), std::end(k_attack_groups));
  result.promoted.assign(result.attack_groups.size(), std::vector<int>(result.services.size(), 0));
  for (const auto& experiment : experiments) {
    if (experiment.status != LifecycleStatus::promoted) continue;
    ++result.promoted_experiments;
    const auto service = std::find(result.services.begin(), result.services.end(), experiment.service);
    const auto group = std::find(result.attack_groups.begin(), result.attack_groups.end(), experiment.attack_group);
    if (service == result.services.end() || group == result.attack_groups.end()) continue;
    ++result.promoted[static_cast<std::size_t>(group - result.attack_groups.begin())]
                     [static_cast<std::size_t>(service - result.services.begin())];
  }
  return result;
}

std::string candidates_note(const CategoryCoverage& category) {
  const auto count = category.candidates.size();
  if (count == 0) return {};
  return std::to_string(count) + (count == 1 ? " candidate would" : " candidates would") + " cover it (" +
         join(category.candidates, ", ") + ")";
}

void to_json(nlohmann::json& out, const Coverage& value) {
  out = nlohmann::json::object();
  out["promotedExperiments"] = value.promoted_experiments;
  out["blindSpots"] = value.blind_spots();
  out["categories"] = nlohmann::json::array();
  for (const auto& c : value.categories)
    out["categories"].push_back({{"id", c.id},
                                 {"title", c.title},
                                 {"blindSpot", c.blind_spot()},
                                 {"promoted", c.experiments.size()},
                                 {"experiments", c.experiments},
                                 {"services", c.services},
                                 {"incidents", c.incidents},
                                 {"candidates", c.candidates}});
  out["attackGroups"] = nlohmann::json::array();
  for (std::size_t g = 0; g < value.attack_groups.size(); ++g) {
    nlohmann::json services = nlohmann::json::object();
    for (std::size_t s = 0; s < value.services.size(); ++s) services[value.services[s]] = value.promoted[g][s];
    out["attackGroups"].push_back({{"group", value.attack_groups[g]}, {"services", services}});
  }
}

}  // namespace chaosgate::insight
