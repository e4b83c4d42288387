#pragma once
// The closed vocabularies of the design (section 2), with their JSON spelling.
#include <cstdint>
#include <nlohmann/json.hpp>

namespace chaosgate {

// A byte each: an experiment's outline, held for every experiment while a
// suite loads and is planned, carries two of them.
enum class AttackGroup : std::uint8_t { network, resource, state, application, dependency };
enum class PreparationCost : std::uint8_t { low, medium, high };
enum class LifecycleStatus : std::uint8_t { draft, candidate, promoted, retired };
enum class RiskLevel : std::uint8_t { low, medium, high, critical };

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
