#pragma once
#include <string>
#include <vector>

#include "model/run_result.h"

namespace chaosgate::cli {

// Reads the CI context from the standard variables of GitLab CI, GitHub
// Actions and Jenkins ("local" when none is found).
// Keys: commit, ref, tag, project, project_id, api_url, merge_request,
// merge_request_url, target_branch, pipeline_id, pipeline_url, job_url,
// environment, step_summary.
CiContext detect_ci_context();

inline constexpr const char* k_ci_keys =
    "system, commit, ref, tag, project, project_id, api_url, merge_request, merge_request_url, target_branch, "
    "pipeline_id, pipeline_url, job_url, environment, step_summary";

// detect_ci_context(), then each "KEY=VALUE" of `overrides` (from --ci) set
// over it; "KEY=" removes a value, "system=gitlab" names the CI system.
// Throws UserError for an item without '='.
CiContext detect_ci_context(const std::vector<std::string>& overrides);

}  // namespace chaosgate::cli
