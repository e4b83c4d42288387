#pragma once
// Decodes one parsed suite file (a whole suite, or one file of a suite
// directory) into a Suite, appending to what earlier files gave.
#include <functional>

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

// Reads everything but catalog.environments into `suite`; the experiments
// the tree holds, then the deferred ones.
void decode_suite_file(const Node& root, const DecodeContext& context, Suite& suite, const DeferredItems& deferred = {});

extern const std::vector<std::string> k_suite_fields, k_catalog_fields, k_team_fields, k_jira_fields, k_gitlab_fields,
    k_service_fields, k_category_fields, k_risk_matrix_fields, k_environment_fields, k_defaults_fields,
    k_experiment_fields, k_risk_fields, k_follow_up_fields;

}  // namespace chaosgate
