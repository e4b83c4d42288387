#include "cli/ci_context.h"

#include <cstdlib>

#include "util/errors.h"

namespace chaosgate::cli {

namespace {
std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}
void put(CiContext& context, const char* key, const std::string& value) {
  if (!value.empty()) context.values[key] = value;
}
}  // namespace

CiContext detect_ci_context() {
  CiContext context;
  if (!env("GITLAB_CI").empty()) {
    context.system = "gitlab";
    put(context, "commit", env("CI_COMMIT_SHA"));
    put(context, "ref", env("CI_COMMIT_TAG").empty() ? env("CI_COMMIT_REF_NAME") : env("CI_COMMIT_TAG"));
    put(context, "tag", env("CI_COMMIT_TAG"));
    put(context, "project", env("CI_PROJECT_PATH"));
    put(context, "project_id", env("CI_PROJECT_ID"));
    put(context, "api_url", env("CI_API_V4_URL"));
    put(context, "merge_request", env("CI_MERGE_REQUEST_IID"));
    put(context, "target_branch", env("CI_MERGE_REQUEST_TARGET_BRANCH_NAME"));
    put(context, "pipeline_id", env("CI_PIPELINE_ID"));
    put(context, "pipeline_url", env("CI_PIPELINE_URL"));
    put(context, "job_url", env("CI_JOB_URL"));
    put(context, "environment", env("CI_ENVIRONMENT_NAME"));
  } else if (!env("GITHUB_ACTIONS").empty()) {
    context.system = "github";
    put(context, "commit", env("GITHUB_SHA"));
    put(context, "ref", env("GITHUB_REF_NAME"));
    if (env("GITHUB_REF_TYPE") == "tag") put(context, "tag", env("GITHUB_REF_NAME"));
    put(context, "project", env("GITHUB_REPOSITORY"));
    put(context, "api_url", env("GITHUB_API_URL"));
    put(context, "target_branch", env("GITHUB_BASE_REF"));
    put(context, "step_summary", env("GITHUB_STEP_SUMMARY"));
    if (!env("GITHUB_SERVER_URL").empty() && !env("GITHUB_RUN_ID").empty()) {
      const std::string run_url = env("GITHUB_SERVER_URL") + "/" + env("GITHUB_REPOSITORY") + "/actions/runs/" + env("GITHUB_RUN_ID");
      put(context, "pipeline_url", run_url);
      put(context, "job_url", run_url);  // the job's own id is not in the environment
    }
  } else if (!env("JENKINS_URL").empty()) {
    context.system = "jenkins";
    put(context, "commit", env("GIT_COMMIT"));
    put(context, "ref", env("TAG_NAME").empty() ? env("BRANCH_NAME") : env("TAG_NAME"));
    put(context, "tag", env("TAG_NAME"));
    put(context, "merge_request", env("CHANGE_ID"));
    put(context, "merge_request_url", env("CHANGE_URL"));
    put(context, "target_branch", env("CHANGE_TARGET"));
    put(context, "pipeline_url", env("BUILD_URL"));
    put(context, "job_url", env("BUILD_URL"));
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
