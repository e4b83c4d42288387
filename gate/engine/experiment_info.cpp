#include "engine/experiment_info.h"

#include <nlohmann/json.hpp>

#include "util/sha256.h"

namespace chaosgate {

namespace {

nlohmann::json probe_definition(const Probe& p) {
  return {{"name", p.name}, {"kind", static_cast<int>(p.kind)}, {"endpoint", p.endpoint()},
          {"url", p.http().url}, {"method", p.http().method}, {"argv", p.command().argv}, {"query", p.prometheus().query},
          {"expect", {{"codes", p.expect().status_codes}, {"contains", p.expect().body_contains}, {"regex", p.expect().body_regex},
                      {"latency", p.expect().latency ? p.expect().latency->to_string() : ""},
                      {"value", p.expect().value ? p.expect().value->to_string() : ""}}},
          {"every", p.every ? p.every->count() : 0}, {"ratio", p.tolerance().success_ratio.to_string()},
          {"p95", p.tolerance().latency_p95 ? p.tolerance().latency_p95->to_string() : ""}};
}

nlohmann::json action_definition(const Action& a) {
  nlohmann::json rollback = nlohmann::json::array();
  for (const auto& undo : a.rollback) rollback.push_back(action_definition(undo));
  nlohmann::json definition = {{"name", a.name}, {"kind", static_cast<int>(a.kind)}, {"argv", a.command().argv}, {"url", a.http().url},
                               {"pause", a.pause.count()}, {"signal", a.signal().signal}, {"pidFile", a.signal().pid_file},
                               {"fault", a.fault}, {"rollback", rollback}};
  // Only network actions carry this key, so the digests of other actions stay as they were.
  if (a.kind == ActionKind::network)
    definition["network"] = {{"api", a.network().api}, {"proxy", a.network().proxy}, {"toxic", a.network().toxic_json},
                             {"remove", a.network().remove}};
  return definition;
}

}  // namespace

// Titles and follow-up texts are left out on purpose: rewording them does not
// change what was proven.
std::string definition_digest(const Experiment& e) {
  nlohmann::json definition = {{"id", e.id}, {"targets", e.targets}, {"timeout", e.timeout.count()},
                               {"recovery", e.recovery_time.count()}};
  for (const auto* list : {&e.steady_state, &e.observe, &e.stop_conditions})
    for (const auto& probe : *list) definition["probes"].push_back(probe_definition(probe));
  for (const auto* list : {&e.method, &e.rollbacks})
    for (const auto& action : *list) definition["actions"].push_back(action_definition(action));
  return sha256_hex(definition.dump());
}

ExperimentInfo make_experiment_info(const Suite& suite, const Experiment& e) {
  ExperimentInfo info;
  info.id = e.id;
  info.title = e.title;
  info.owner = e.owner;
  info.service = e.service;
  info.targets = e.targets;
  info.hypothesis = e.hypothesis;
  info.incident_category = e.incident_category;
  if (const auto* category = suite.catalog.find_category(e.incident_category)) {
    info.incident_category_title = category->title;
    info.incidents = category->incidents;
  }
  info.attack_group = e.attack_group;
  info.preparation_cost = e.preparation_cost;
  info.status = e.status;
  info.likelihood = e.risk.likelihood;
  info.impact = e.risk.impact;
  info.risk_level = suite.catalog.risk_matrix.level(e.risk.likelihood, e.risk.impact);
  info.tags = e.tags;
  for (const auto& task : e.follow_up) info.follow_up.emplace_back(task.title, task.description);
  info.location = e.location;
  info.definition_digest = definition_digest(e);
  return info;
}

}  // namespace chaosgate
