#include "load/suite_decoder.h"

#include <algorithm>
#include <array>
#include <span>

#include "load/probe_decoder.h"
#include "util/text.h"

namespace chaosgate {

namespace {

constexpr std::string_view k_attack_groups[] = {"network", "resource", "state", "application", "dependency"};
constexpr std::string_view k_costs[] = {"low", "medium", "high"};
constexpr std::string_view k_statuses[] = {"draft", "candidate", "promoted", "retired"};
constexpr std::string_view k_levels[] = {"low", "medium", "high", "critical"};

// The fields whose place is looked up once the tree is gone: the suite checks'
// cross-references (suite_checks.cpp) and `promote --write` (the status). Only
// these are kept: the places of every field were ~300 bytes an experiment, a
// tenth of a 10,000-experiment run's peak, and nothing read the others.
constexpr std::array k_located_service_fields = {LocatedField::owner};
constexpr std::array k_located_experiment_fields = {LocatedField::owner, LocatedField::service,
                                                    LocatedField::incident_category, LocatedField::status};

void record_field_locations(const Node& mapping, std::span<const LocatedField> located, FieldLocations& locations) {
  // One pass into a buffer, then an exact-size list: keys are unique, so each
  // located field is found at most once.
  std::array<FieldPlace, k_located_experiment_fields.size()> found{};
  std::size_t count = 0;
  for (const auto& entry : mapping.entries()) {
    const auto field = std::find_if(located.begin(), located.end(), [&](LocatedField f) { return field_key(f) == entry.key; });
    if (field != located.end() && count < found.size())
      found[count++] = {*field, entry.value->location.line, entry.value->location.column};
  }
  locations.assign(mapping.location.source().file, std::span(found.data(), count));
}

struct Defaults {
  std::optional<Millis> timeout;
  std::optional<Millis> recovery_time;
  std::optional<int> retries;
};

// Calls `each(item_node, item_path)` for every element of an array field.
template <typename Each>
void for_each_item(ObjectReader& reader, std::string_view field, Each each) {
  const Node* list = reader.field(field);
  if (!list) return;
  const std::string path = reader.field_path(field);
  if (list->kind != Node::Kind::sequence) {
    reader.context().error(*list, path, "expected an array, found " + describe_kind(*list));
    return;
  }
  for (std::size_t i = 0; i < list->items().size(); ++i) each(*list->items()[i], child_path(path, i));
}

template <typename Enum>
Enum to_enum(const std::string& text) {
  return nlohmann::json(text).get<Enum>();
}

Team decode_team(const Node& node, const std::string& path, const DecodeContext& context) {
  Team team;
  team.location = node.location;
  ObjectReader reader(node, path, context, k_team_fields);
  if (auto id = reader.string("id", true)) team.id = *id;
  team.name = reader.string("name").value_or(team.id);
  if (const Node* jira = reader.field("jira")) {
    ObjectReader jr(*jira, reader.field_path("jira"), context, k_jira_fields);
    JiraRoute route;
    if (auto project = jr.string("project", true)) route.project = *project;
    route.component = jr.string("component").value_or("");
    route.issue_type = jr.string("issueType").value_or("Task");
    route.assignee = jr.string("assignee").value_or("");
    team.jira = route;
  }
  if (const Node* gitlab = reader.field("gitlab")) {
    ObjectReader gr(*gitlab, reader.field_path("gitlab"), context, k_gitlab_fields);
    GitlabRoute route;
    if (auto project = gr.string("project", true)) route.project = *project;
    route.labels = gr.string_list("labels");
    if (const Node* ids = gr.field("assigneeIds")) {
      if (ids->kind != Node::Kind::sequence) {
        context.error(*ids, gr.field_path("assigneeIds"), "expected an array of user ids");
      } else {
        for (std::size_t i = 0; i < ids->items().size(); ++i)
          if (auto id = read_integer(*ids->items()[i], child_path(gr.field_path("assigneeIds"), i), context, 1, 1LL << 53))
            route.assignee_ids.push_back(static_cast<long>(*id));
      }
    }
    team.gitlab = route;
  }
  return team;
}

Service decode_service(const Node& node, const std::string& path, const DecodeContext& context) {
  Service service;
  service.location = node.location;
  record_field_locations(node, k_located_service_fields, service.field_locations);
  ObjectReader reader(node, path, context, k_service_fields);
  if (auto id = reader.string("id", true)) service.id = *id;
  if (auto owner = reader.string("owner", true)) service.owner = *owner;
  service.targets = reader.string_list("targets");
  service.paths = reader.string_list("paths");
  reader.string("description");
  return service;
}

IncidentCategory decode_category(const Node& node, const std::string& path, const DecodeContext& context) {
  IncidentCategory category;
  category.location = node.location;
  ObjectReader reader(node, path, context, k_category_fields);
  if (auto id = reader.string("id", true)) category.id = *id;
  if (auto title = reader.string("title", true)) category.title = *title;
  category.incidents = reader.string_list("incidents");
  reader.string("description");
  return category;
}

std::optional<RiskMatrix> decode_risk_matrix(const Node& node, const std::string& path, const DecodeContext& context) {
  ObjectReader reader(node, path, context, k_risk_matrix_fields);
  const Node* levels = reader.field("levels", true);
  if (!levels) return std::nullopt;
  const std::string levels_path = reader.field_path("levels");
  const char* shape = "expected 5 rows (likelihood 1..5) of 5 levels (impact 1..5)";
  if (levels->kind != Node::Kind::sequence || levels->items().size() != 5) {
    context.error(*levels, levels_path, shape);
    return std::nullopt;
  }
  RiskMatrix matrix = RiskMatrix::standard();
  bool ok = true;
  for (std::size_t row = 0; row < 5; ++row) {
    const Node& cells = *levels->items()[row];
    if (cells.kind != Node::Kind::sequence || cells.items().size() != 5) {
      context.error(cells, child_path(levels_path, row), shape);
      ok = false;
      continue;
    }
    for (std::size_t column = 0; column < 5; ++column) {
      const std::string cell_path = child_path(child_path(levels_path, row), column);
      auto text = read_string(*cells.items()[column], cell_path, context);
      if (!text) { ok = false; continue; }
      if (std::ranges::find(k_levels, *text) == std::end(k_levels)) {
        context.error(*cells.items()[column], cell_path, in_quotes(*text) + " is not one of " + join(k_levels, ", "));
        ok = false;
        continue;
      }
      matrix.levels[row][column] = to_enum<RiskLevel>(*text);
    }
  }
  return ok ? std::optional(matrix) : std::nullopt;
}

std::vector<FollowUpTask> decode_follow_up(ObjectReader& reader) {
  std::vector<FollowUpTask> tasks;
  for_each_item(reader, "followUp", [&](const Node& item, const std::string& path) {
    FollowUpTask task;
    if (item.kind == Node::Kind::scalar) {
      if (auto title = read_string(item, path, reader.context())) task.title = *title;
    } else {
      ObjectReader task_reader(item, path, reader.context(), k_follow_up_fields);
      if (auto title = task_reader.string("title", true)) task.title = *title;
      task.description = task_reader.string("description").value_or("");
    }
    tasks.push_back(std::move(task));
  });
  return tasks;
}

Experiment decode_experiment(const Node& node, const std::string& path, const DecodeContext& context,
                             const Defaults& defaults) {
  Experiment experiment;
  experiment.location = node.location;
  record_field_locations(node, k_located_experiment_fields, experiment.field_locations);
  ObjectReader reader(node, path, context, k_experiment_fields);
  if (auto id = reader.string("id", true)) experiment.id = *id;
  if (auto title = reader.string("title", true)) experiment.title = *title;
  reader.string("description");
  experiment.owner = reader.string("owner").value_or("");
  if (auto service = reader.string("service", true)) experiment.service = *service;
  experiment.targets = reader.string_list("targets");
  if (auto hypothesis = reader.string("hypothesis", true)) experiment.hypothesis = *hypothesis;
  if (auto category = reader.string("incidentCategory", true)) experiment.incident_category = *category;
  if (auto group = reader.choice("attackGroup", k_attack_groups, true)) experiment.attack_group = to_enum<AttackGroup>(*group);
  if (auto cost = reader.choice("preparationCost", k_costs)) experiment.preparation_cost = to_enum<PreparationCost>(*cost);
  if (const Node* risk = reader.field("risk", true)) {
    ObjectReader rr(*risk, reader.field_path("risk"), context, k_risk_fields);
    if (auto likelihood = rr.integer("likelihood", 1, 5, true)) experiment.risk.likelihood = static_cast<int>(*likelihood);
    if (auto impact = rr.integer("impact", 1, 5, true)) experiment.risk.impact = static_cast<int>(*impact);
  }
  if (auto status = reader.choice("status", k_statuses, true)) experiment.status = to_enum<LifecycleStatus>(*status);
  experiment.tags = reader.string_list("tags");
  experiment.always = reader.boolean("always").value_or(false);
  experiment.allow_production = reader.boolean("allowProduction").value_or(false);
  experiment.timeout = reader.duration("timeout").value_or(defaults.timeout.value_or(experiment.timeout));
  experiment.recovery_time = reader.duration("recoveryTime").value_or(defaults.recovery_time.value_or(experiment.recovery_time));
  if (auto retries = reader.integer("retries", 0, 5)) experiment.retries = static_cast<int>(*retries);
  else experiment.retries = defaults.retries.value_or(0);
  experiment.steady_state = decode_probe_list(reader, "steadyState", ProbeRole::steady_state);
  experiment.observe = decode_probe_list(reader, "observe", ProbeRole::observe);
  experiment.method = decode_action_list(reader, "method", false);
  experiment.rollbacks = decode_action_list(reader, "rollbacks", true);
  experiment.stop_conditions = decode_probe_list(reader, "stopConditions", ProbeRole::stop_condition);
  experiment.follow_up = decode_follow_up(reader);

  if (reader.is_object()) {
    const Node* method = reader.field("method", true);
    if (method && method->kind == Node::Kind::sequence && method->items().empty())
      context.error(*method, reader.field_path("method"), "method is empty: an experiment needs at least one action");
    if (!reader.field("steadyState") && !reader.field("observe"))
      context.error(node, path, "nothing to judge: give steadyState and/or observe probes");
    else if (!reader.field("steadyState"))
      context.warning(node, path, "no steadyState probes: an unhealthy environment cannot be told apart from a regression");
  }
  return experiment;
}

Defaults decode_defaults(ObjectReader& suite_reader) {
  Defaults defaults;
  const Node* node = suite_reader.field("defaults");
  if (!node) return defaults;
  ObjectReader reader(*node, suite_reader.field_path("defaults"), suite_reader.context(), k_defaults_fields);
  defaults.timeout = reader.duration("timeout");
  defaults.recovery_time = reader.duration("recoveryTime");
  if (auto retries = reader.integer("retries", 0, 5)) defaults.retries = static_cast<int>(*retries);
  return defaults;
}

void set_once(std::string& slot, std::optional<std::string> value, ObjectReader& reader, std::string_view field) {
  if (!value) return;
  if (!slot.empty() && slot != *value)
    reader.context().error(*reader.field(field), reader.field_path(field),
                           "suite " + std::string(field) + " " + in_quotes(*value) + " differs from " + in_quotes(slot) + " given by an earlier file");
  else
    slot = *value;
}

}  // namespace

void decode_environments(const Node& root, const DecodeContext& context, std::vector<Environment>& out) {
  const Node* catalog = root.kind == Node::Kind::mapping ? root.find("catalog") : nullptr;
  const Node* list = catalog && catalog->kind == Node::Kind::mapping ? catalog->find("environments") : nullptr;
  if (!list) return;
  if (list->kind != Node::Kind::sequence) {
    context.error(*list, "catalog.environments", "expected an array, found " + describe_kind(*list));
    return;
  }
  for (std::size_t i = 0; i < list->items().size(); ++i) {
    const std::string path = child_path("catalog.environments", i);
    ObjectReader reader(*list->items()[i], path, context, k_environment_fields);
    Environment environment;
    environment.location = list->items()[i]->location;
    if (auto name = reader.string("name", true)) environment.name = *name;
    environment.production = reader.boolean("production").value_or(false);
    environment.variables = reader.string_map("variables");
    out.push_back(std::move(environment));
  }
}

void decode_catalog(const Node& root, const DecodeContext& context, Catalog& catalog) {
  const Node* node = root.kind == Node::Kind::mapping ? root.find("catalog") : nullptr;
  if (!node) return;
  ObjectReader reader(*node, "catalog", context, k_catalog_fields);
  for_each_item(reader, "teams", [&](const Node& n, const std::string& p) { catalog.teams.push_back(decode_team(n, p, context)); });
  for_each_item(reader, "services", [&](const Node& n, const std::string& p) { catalog.services.push_back(decode_service(n, p, context)); });
  for_each_item(reader, "incidentCategories", [&](const Node& n, const std::string& p) {
    catalog.incident_categories.push_back(decode_category(n, p, context));
  });
  if (const Node* matrix = reader.field("riskMatrix"))
    if (auto decoded = decode_risk_matrix(*matrix, reader.field_path("riskMatrix"), context)) catalog.risk_matrix = *decoded;
  reader.field("environments");  // read beforehand by decode_environments
}

std::size_t experiments_in_tree(const Node& root) {
  const Node* list = root.kind == Node::Kind::mapping ? root.find("experiments") : nullptr;
  return list && list->kind == Node::Kind::sequence ? list->items().size() : 0;
}

void decode_suite_file(const Node& root, const DecodeContext& context, Suite& suite, const DeferredItems& deferred,
                       const ExperimentSink& take) {
  ObjectReader reader(root, "", context, k_suite_fields);
  if (!reader.is_object()) return;
  if (auto version = reader.string("apiVersion", true); version && *version != k_api_version)
    context.error(*reader.field("apiVersion"), "apiVersion",
                  "unsupported apiVersion " + in_quotes(*version) + "; this chaosgate reads " + in_quotes(k_api_version));
  set_once(suite.name, reader.string("name"), reader, "name");
  set_once(suite.version, reader.string("version"), reader, "version");
  reader.string("description");
  reader.field("catalog");  // read beforehand by decode_catalog

  const Defaults defaults = decode_defaults(reader);
  auto stops = decode_probe_list(reader, "stopConditions", ProbeRole::stop_condition);
  suite.stop_conditions.insert(suite.stop_conditions.end(), stops.begin(), stops.end());
  for_each_item(reader, "experiments", [&](const Node& n, const std::string& p) { take(decode_experiment(n, p, context, defaults), p); });
  if (deferred.count == 0) return;
  const std::string path = reader.field_path("experiments");
  std::size_t index = 0;
  deferred.for_each([&](const Node& n) {
    const std::string item_path = child_path(path, index++);
    take(decode_experiment(n, item_path, context, defaults), item_path);
  });
}

std::span<const FieldTable> decoder_field_tables() {
  static constexpr FieldTable tables[] = {
      {"suite", k_suite_fields},         {"catalog", k_catalog_fields},       {"team", k_team_fields},
      {"jiraRoute", k_jira_fields},      {"gitlabRoute", k_gitlab_fields},    {"service", k_service_fields},
      {"incidentCategory", k_category_fields}, {"riskMatrix", k_risk_matrix_fields},
      {"environment", k_environment_fields},   {"defaults", k_defaults_fields},
      {"experiment", k_experiment_fields},     {"risk", k_risk_fields},   {"followUpTask", k_follow_up_fields},
      {"probe", k_probe_fields},         {"httpRequest", k_http_request_fields}, {"tcp", k_tcp_fields},
      {"command", k_command_fields},     {"prometheus", k_prometheus_fields}, {"expect", k_expect_fields},
      {"jsonExpect", k_json_expect_fields}, {"tolerance", k_tolerance_fields}, {"action", k_action_fields},
      {"signal", k_signal_fields}, {"network", k_network_fields}, {"toxic", k_toxic_fields}};
  return tables;
}

}  // namespace chaosgate
