#include "cli/ci_context.h"

#include <span>

#include "cli/secrets.h"
#include "util/errors.h"

namespace chaosgate::cli {

namespace {

// One context key read from the environment: `variable`, or `fallback` where
// `variable` is unset (a tag pipeline names its ref by the tag).
struct KeyFromVariable {
  const char* key;
  const char* variable;
  const char* fallback = nullptr;
};

struct CiSystem {
  const char* name;
  const char* detected_by;  // set in every job of that CI system
  std::span<const KeyFromVariable> keys;
};

constexpr KeyFromVariable k_gitlab_keys[] = {
    {"commit", "CI_COMMIT_SHA"},
    {"ref", "CI_COMMIT_TAG", "CI_COMMIT_REF_NAME"},
    {"tag", "CI_COMMIT_TAG"},
    {"project", "CI_PROJECT_PATH"},
    {"project_id", "CI_PROJECT_ID"},
    {"api_url", "CI_API_V4_URL"},
    {"merge_request", "CI_MERGE_REQUEST_IID"},
    {"target_branch", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME"},
    {"pipeline_id", "CI_PIPELINE_ID"},
    {"pipeline_url", "CI_PIPELINE_URL"},
    {"job_url", "CI_JOB_URL"},
    {"environment", "CI_ENVIRONMENT_NAME"},
};
constexpr KeyFromVariable k_github_keys[] = {
    {"commit", "GITHUB_SHA"},
    {"ref", "GITHUB_REF_NAME"},
    {"project", "GITHUB_REPOSITORY"},
    {"api_url", "GITHUB_API_URL"},
    {"target_branch", "GITHUB_BASE_REF"},
    {"step_summary", "GITHUB_STEP_SUMMARY"},
};
constexpr KeyFromVariable k_jenkins_keys[] = {
    {"commit", "GIT_COMMIT"},
    {"ref", "TAG_NAME", "BRANCH_NAME"},
    {"tag", "TAG_NAME"},
    {"merge_request", "CHANGE_ID"},
    {"merge_request_url", "CHANGE_URL"},
    {"target_branch", "CHANGE_TARGET"},
    {"pipeline_url", "BUILD_URL"},
    {"job_url", "BUILD_URL"},
};
constexpr CiSystem k_ci_systems[] = {
    {"gitlab", "GITLAB_CI", k_gitlab_keys},
    {"github", "GITHUB_ACTIONS", k_github_keys},
    {"jenkins", "JENKINS_URL", k_jenkins_keys},
};

void put(CiContext& context, const char* key, const std::string& value) {
  if (!value.empty()) context.values[key] = value;
}

// What GitHub does not name in one variable: the tag and the run's URL.
void add_github_derived_keys(CiContext& context) {
  if (env_or_empty("GITHUB_REF_TYPE") == "tag") put(context, "tag", env_or_empty("GITHUB_REF_NAME"));
  if (!env_or_empty("GITHUB_SERVER_URL").empty() && !env_or_empty("GITHUB_RUN_ID").empty()) {
    const std::string run_url = env_or_empty("GITHUB_SERVER_URL") + "/" + env_or_empty("GITHUB_REPOSITORY") +
                                "/actions/runs/" + env_or_empty("GITHUB_RUN_ID");
    put(context, "pipeline_url", run_url);
    put(context, "job_url", run_url);  // the job's own id is not in the environment
  }
}
}  // namespace

CiContext detect_ci_context() {
  CiContext context;
  context.system = "local";
  for (const CiSystem& system : k_ci_systems) {
    if (env_or_empty(system.detected_by).empty()) continue;
    context.system = system.name;
    for (const KeyFromVariable& key : system.keys) {
      std::string value = env_or_empty(key.variable);
      if (value.empty() && key.fallback != nullptr) value = env_or_empty(key.fallback);
      put(context, key.key, value);
    }
    if (context.system == "github") add_github_derived_keys(context);
    break;
  }
  return context;
}

CiContext detect_ci_context(const std::vector<std::string>& overrides) {
  CiContext context = detect_ci_context();
  for (const auto& item : overrides) {
    const auto equals = item.find('=');
    if (equals == std::string::npos || equals == 0)
      throw UserError("--ci " + item + ": write KEY=VALUE, e.g. --ci commit=0a1b2c3 (keys: " + k_ci_keys + ")");
    const std::string key = item.substr(0, equals);
    if (key == "system") {
      context.system = item.substr(equals + 1);
    } else if (equals + 1 == item.size()) {
      context.values.erase(key);
    } else {
      context.values[key] = item.substr(equals + 1);
    }
  }
  return context;
}

}  // namespace chaosgate::cli
