#pragma once
// Decodes one parsed suite file (a whole suite, or one file of a suite
// directory) into a Suite, appending to what earlier files gave.
#include <cstddef>
#include <functional>
#include <string>

#include "load/node_reader.h"
#include "model/suite.h"

namespace chaosgate {

// Reads only catalog.environments: they must be known before the rest is
// decoded, since their variables feed ${VAR} everywhere else.
void decode_environments(const Node& root, const DecodeContext& context, std::vector<Environment>& out);

// A file's "experiments" elements that its tree left out (parse_document's
// deferral): how many, and a way to have each parsed in turn.
struct DeferredItems {
  std::size_t count = 0;
  // Calls `each` with every element's tree, in file order; a tree lives only
  // for its call.
  std::function<void(const std::function<void(const Node&)>& each)> for_each;
};

// Reads the catalog but its environments. Every file's catalog is read before
// any experiment is decoded: an experiment's checks look its team, service and
// category up in what all the files declare.
void decode_catalog(const Node& root, const DecodeContext& context, Catalog& catalog);

// How many experiments the file's tree holds (its deferred ones not counted).
std::size_t experiments_in_tree(const Node& root);

// Given each decoded experiment, with its path ("experiments[3]"), in file order.
using ExperimentSink = std::function<void(Experiment&& experiment, const std::string& path)>;

// Reads the rest (the header, defaults, stop conditions) into `suite` and
// hands every experiment to `take`: those the tree holds, then the deferred ones.
void decode_suite_file(const Node& root, const DecodeContext& context, Suite& suite, const DeferredItems& deferred,
                       const ExperimentSink& take);

// The fields each object may have (ObjectReader reports any other).
inline constexpr std::string_view k_suite_fields[] = {"apiVersion", "name",     "version",        "description",
                                                      "catalog",    "defaults", "stopConditions", "experiments"};
inline constexpr std::string_view k_catalog_fields[] = {"teams", "services", "incidentCategories", "riskMatrix", "environments"};
inline constexpr std::string_view k_team_fields[] = {"id", "name", "jira", "gitlab"};
inline constexpr std::string_view k_jira_fields[] = {"project", "component", "issueType", "assignee"};
inline constexpr std::string_view k_gitlab_fields[] = {"project", "labels", "assigneeIds"};
inline constexpr std::string_view k_service_fields[] = {"id", "owner", "targets", "paths", "description"};
inline constexpr std::string_view k_category_fields[] = {"id", "title", "incidents", "description"};
inline constexpr std::string_view k_risk_matrix_fields[] = {"levels"};
inline constexpr std::string_view k_environment_fields[] = {"name", "production", "variables"};
inline constexpr std::string_view k_defaults_fields[] = {"timeout", "recoveryTime", "retries"};
inline constexpr std::string_view k_experiment_fields[] = {
    "id", "title", "description", "owner", "service", "targets", "hypothesis", "incidentCategory", "attackGroup",
    "preparationCost", "risk", "status", "tags", "always", "allowProduction", "timeout", "recoveryTime", "retries",
    "steadyState", "observe", "method", "rollbacks", "stopConditions", "followUp"};
inline constexpr std::string_view k_risk_fields[] = {"likelihood", "impact"};
inline constexpr std::string_view k_follow_up_fields[] = {"title", "description"};

}  // namespace chaosgate
