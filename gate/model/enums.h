#pragma once
// The closed vocabularies of the design (section 2), with their JSON spelling.
#include <nlohmann/json.hpp>

namespace chaosgate {

enum class AttackGroup { network, resource, state, application, dependency };
enum class PreparationCost { low, medium, high };
enum class LifecycleStatus { draft, candidate, promoted, retired };
enum class RiskLevel { low, medium, high, critical };

NLOHMANN_JSON_SERIALIZE_ENUM(AttackGroup, {{AttackGroup::network, "network"},
                                           {AttackGroup::resource, "resource"},
                                           {AttackGroup::state, "state"},
                                           {AttackGroup::application, "application"},
                                           {AttackGroup::dependency, "dependency"}})
NLOHMANN_JSON_SERIALIZE_ENUM(PreparationCost, {{PreparationCost::low, "low"},
                                               {PreparationCost::medium, "medium"},
                                               {PreparationCost::high, "high"}})
NLOHMANN_JSON_SERIALIZE_ENUM(LifecycleStatus, {{LifecycleStatus::draft, "draft"},
                                               {LifecycleStatus::candidate, "candidate"},
                                               {LifecycleStatus::promoted, "promoted"},
                                               {LifecycleStatus::retired, "retired"}})
NLOHMANN_JSON_SERIALIZE_ENUM(RiskLevel, {{RiskLevel::low, "low"},
                                         {RiskLevel::medium, "medium"},
                                         {RiskLevel::high, "high"},
                                         {RiskLevel::critical, "critical"}})

// Spelling of an enum value, as in suites and reports ("network", "promoted").
template <typename Enum>
std::string enum_name(Enum value) {
  return nlohmann::json(value).template get<std::string>();
}

}  // namespace chaosgate
