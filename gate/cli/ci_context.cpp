#include "cli/ci_context.h"

#include "cli/secrets.h"
#include "util/errors.h"

namespace chaosgate::cli {

namespace {
void put(CiContext& context, const char* key, const std::string& value) {
  if (!value.empty()) context.values[key] = value;
}
}  // namespace

CiContext detect_ci_context() {
  CiContext context;
  if (!env_or_empty("GITLAB_CI").empty()) {
    context.system = "gitlab";
    put(context, "commit", env_or_empty("CI_COMMIT_SHA"));
    put(context, "ref", env_or_empty("CI_COMMIT_TAG").empty() ? env_or_empty("CI_COMMIT_REF_NAME") : env_or_empty("CI_COMMIT_TAG"));
    put(context, "tag", env_or_empty("CI_COMMIT_TAG"));
    put(context, "project", env_or_empty("CI_PROJECT_PATH"));
    put(context, "project_id", env_or_empty("CI_PROJECT_ID"));
    put(context, "api_url", env_or_empty("CI_API_V4_URL"));
    put(context, "merge_request", env_or_empty("CI_MERGE_REQUEST_IID"));
    put(context, "target_branch", env_or_empty("CI_MERGE_REQUEST_TARGET_BRANCH_NAME"));
    put(context, "pipeline_id", env_or_empty("CI_PIPELINE_ID"));
    put(context, "pipeline_url", env_or_empty("CI_PIPELINE_URL"));
    put(context, "job_url", env_or_empty("CI_JOB_URL"));
    put(context, "environment", env_or_empty("CI_ENVIRONMENT_NAME"));
  } else if (!env_or_empty("GITHUB_ACTIONS").empty()) {
    context.system = "github";
    put(context, "commit", env_or_empty("GITHUB_SHA"));
    put(context, "ref", env_or_empty("GITHUB_REF_NAME"));
    if (env_or_empty("GITHUB_REF_TYPE") == "tag") put(context, "tag", env_or_empty("GITHUB_REF_NAME"));
    put(context, "project", env_or_empty("GITHUB_REPOSITORY"));
    put(context, "api_url", env_or_empty("GITHUB_API_URL"));
    put(context, "target_branch", env_or_empty("GITHUB_BASE_REF"));
    put(context, "step_summary", env_or_empty("GITHUB_STEP_SUMMARY"));
    if (!env_or_empty("GITHUB_SERVER_URL").empty() && !env_or_empty("GITHUB_RUN_ID").empty()) {
      const std::string run_url = env_or_empty("GITHUB_SERVER_URL") + "/" + env_or_empty("GITHUB_REPOSITORY") + "/actions/runs/" + env_or_empty("GITHUB_RUN_ID");
      put(context, "pipeline_url", run_url);
      put(context, "job_url", run_url);  // the job's own id is not in the environment
    }
  } else if (!env_or_empty("JENKINS_URL").empty()) {
    context.system = "jenkins";
    put(context, "commit", env_or_empty("GIT_COMMIT"));
    put(context, "ref", env_or_empty("TAG_NAME").empty() ? env_or_empty("BRANCH_NAME") : env_or_empty("TAG_NAME"));
    put(context, "tag", env_or_empty("TAG_NAME"));
    put(context, "merge_request", env_or_empty("CHANGE_ID"));
    put(context, "merge_request_url", env_or_empty("CHANGE_URL"));
    put(context, "target_branch", env_or_empty("CHANGE_TARGET"));
    put(context, "pipeline_url", env_or_empty("BUILD_URL"));
    put(context, "job_url", env_or_empty("BUILD_URL"));
  } else {
    context.system = "local";
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
