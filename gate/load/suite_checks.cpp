#include "load/suite_checks.h"

#include <map>

#include "util/text.h"

namespace chaosgate {

namespace {

template <typename T, typename Key>
void check_unique(const std::vector<T>& items, Key key, const char* what, const std::string& path_prefix,
                  Diagnostics& diagnostics) {
  std::map<std::string, const T*> seen;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const T& item = items[i];
    const auto [it, inserted] = seen.emplace(item.*key, &item);
    if (!inserted)
      diagnostics.error(item.location, path_prefix + "[" + std::to_string(i) + "]",
                        std::string("duplicate ") + what + " " + in_quotes(item.*key) + " (first defined at " +
                            it->second->location.to_string() + ")");
  }
}

template <typename T, typename Key>
std::vector<std::string> ids_of(const std::vector<T>& items, Key key) {
  std::vector<std::string> ids;
  for (const auto& item : items) ids.push_back(item.*key);
  return ids;
}

std::string unknown(const char* what, const std::string& id, const std::vector<std::string>& known) {
  std::string message = std::string("unknown ") + what + " " + in_quotes(id);
  if (auto hint = closest_match(id, known)) message += "; did you mean " + in_quotes(*hint) + "?";
  else if (!known.empty()) message += " (known: " + join(known, ", ") + ")";
  else message += std::string(" (the catalog declares no ") + what + ")";
  return message;
}

}  // namespace

void check_catalog(const Catalog& catalog, Diagnostics& diagnostics) {
  check_unique(catalog.teams, &Team::id, "team", "catalog.teams", diagnostics);
  check_unique(catalog.services, &Service::id, "service", "catalog.services", diagnostics);
  check_unique(catalog.incident_categories, &IncidentCategory::id, "incident category", "catalog.incidentCategories",
               diagnostics);
  check_unique(catalog.environments, &Environment::name, "environment", "catalog.environments", diagnostics);

  const auto team_ids = ids_of(catalog.teams, &Team::id);
  for (std::size_t i = 0; i < catalog.services.size(); ++i) {
    const Service& service = catalog.services[i];
    if (!service.owner.empty() && !catalog.find_team(service.owner))
      diagnostics.error(service.field_locations.find(LocatedField::owner).value_or(service.location),
                        "catalog.services[" + std::to_string(i) + "].owner",
                        unknown("team", service.owner, team_ids));
  }
}

ExperimentChecks::ExperimentChecks(const Catalog& catalog, Diagnostics& diagnostics)
    : m_catalog(catalog),
      m_diagnostics(diagnostics),
      m_team_ids(ids_of(catalog.teams, &Team::id)),
      m_service_ids(ids_of(catalog.services, &Service::id)),
      m_category_ids(ids_of(catalog.incident_categories, &IncidentCategory::id)) {}

void ExperimentChecks::check(Experiment& experiment, const std::string& path) {
  if (const auto first = m_first_defined.seen_before(experiment.id, experiment.location))
    m_diagnostics.error(experiment.location, path,
                        "duplicate experiment id " + in_quotes(experiment.id) + " (first defined at " + first->to_string() + ")");
  const Service* service = m_catalog.find_service(experiment.service);
  if (!experiment.service.empty() && !service)
    m_diagnostics.error(experiment.location_of(LocatedField::service), path + ".service",
                        unknown("service", experiment.service, m_service_ids));
  if (experiment.owner.empty() && service) experiment.owner = service->owner;
  if (!experiment.owner.empty() && !m_catalog.find_team(experiment.owner))
    m_diagnostics.error(experiment.location_of(LocatedField::owner), path + ".owner", unknown("team", experiment.owner, m_team_ids));
  if (!experiment.incident_category.empty() && !m_catalog.find_category(experiment.incident_category))
    m_diagnostics.error(experiment.location_of(LocatedField::incident_category), path + ".incidentCategory",
                        unknown("incident category", experiment.incident_category, m_category_ids));
  if (experiment.targets.empty() && service) experiment.targets = service->targets;
  if (experiment.targets.empty())
    m_diagnostics.warning(experiment.location, path + ".targets",
                          "no targets (blast radius) declared: it will never run in parallel with another experiment");
  if (experiment.status == LifecycleStatus::promoted && experiment.follow_up.empty())
    m_diagnostics.warning(experiment.location, path + ".followUp",
                          "promoted experiment has no follow-up tasks: a regression ticket will carry only the investigation");
}

}  // namespace chaosgate
