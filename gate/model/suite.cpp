#include "model/suite.h"

#include <algorithm>

namespace chaosgate {

RiskLevel RiskMatrix::level(int likelihood, int impact) const {
  const int l = std::clamp(likelihood, 1, 5) - 1;
  const int i = std::clamp(impact, 1, 5) - 1;
  return levels[static_cast<std::size_t>(l)][static_cast<std::size_t>(i)];
}

RiskMatrix RiskMatrix::standard() {
  // Score bands of the common 5x5 matrix: 1-4 low, 5-9 medium, 10-16 high, 17-25 critical.
  RiskMatrix matrix{};
  for (int l = 1; l <= 5; ++l) {
    for (int i = 1; i <= 5; ++i) {
      const int score = l * i;
      RiskLevel level = score >= 17 ? RiskLevel::critical
                        : score >= 10 ? RiskLevel::high
                        : score >= 5  ? RiskLevel::medium
                                      : RiskLevel::low;
      matrix.levels[static_cast<std::size_t>(l - 1)][static_cast<std::size_t>(i - 1)] = level;
    }
  }
  return matrix;
}

namespace {
template <typename T, typename Key>
const T* find_by(const std::vector<T>& items, const std::string& wanted, Key key) {
  const auto it = std::find_if(items.begin(), items.end(), [&](const T& item) { return item.*key == wanted; });
  return it == items.end() ? nullptr : &*it;
}
}  // namespace

const Team* Catalog::find_team(const std::string& id) const { return find_by(teams, id, &Team::id); }
const Service* Catalog::find_service(const std::string& id) const { return find_by(services, id, &Service::id); }
const IncidentCategory* Catalog::find_category(const std::string& id) const {
  return find_by(incident_categories, id, &IncidentCategory::id);
}
const Environment* Catalog::find_environment(const std::string& name) const {
  return find_by(environments, name, &Environment::name);
}

std::string Probe::endpoint() const {
  auto origin = [](const std::string& url) {
    // scheme://authority, without path or query: the thing that must answer.
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) return url;
    const auto path_start = url.find_first_of("/?#", scheme_end + 3);
    return path_start == std::string::npos ? url : url.substr(0, path_start);
  };
  switch (kind) {
    case ProbeKind::http: return origin(http().url);
    case ProbeKind::tcp: return "tcp://" + tcp().host + ":" + std::to_string(tcp().port);
    case ProbeKind::prometheus: return origin(prometheus().url);
    case ProbeKind::command: return {};
  }
  return {};
}

bool Action::is_fault() const {
  return fault || kind == ActionKind::signal || (kind == ActionKind::network && !network().remove);
}

namespace {
Millis probe_cost(const Probe& probe) {
  switch (probe.kind) {
    case ProbeKind::http: return std::min(probe.http().timeout, Millis(1000));
    case ProbeKind::tcp: return std::min(probe.tcp().timeout, Millis(500));
    case ProbeKind::command: return std::min(probe.command().timeout, Millis(1000));
    case ProbeKind::prometheus: return std::min(probe.prometheus().timeout, Millis(1000));
  }
  return Millis(0);
}

Millis action_cost(const Action& action) {
  switch (action.kind) {
    case ActionKind::pause: return action.pause;
    case ActionKind::command: return std::min(action.command().timeout, Millis(2000));
    case ActionKind::http: return std::min(action.http().timeout, Millis(1000));
    case ActionKind::signal: return Millis(10);
    case ActionKind::network: return Millis(10);
  }
  return Millis(0);
}
}  // namespace

SourceLocation Experiment::location_of(LocatedField field) const {
  return field_locations.find(field).value_or(location);
}

Millis Experiment::estimated_duration() const {
  // Typical cost, not the worst case: probes answer well within their
  // timeouts; the fault window is the method's pauses and commands.
  Millis total{0};
  for (const auto& probe : steady_state) total += probe_cost(probe) * 2;  // before and after
  Millis method_time{0};
  for (const auto& action : method) {
    method_time += action_cost(action);
    for (const auto& undo : action.rollback) total += action_cost(undo);
  }
  for (const auto& undo : rollbacks) total += action_cost(undo);
  total += method_time;
  return std::min(total, timeout);
}

}  // namespace chaosgate
