#include "cli/ci_context.h"

#include <cstdlib>

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
    put(context, "project", env("CI_PROJECT_PATH"));
    put(context, "merge_request", env("CI_MERGE_REQUEST_IID"));
    put(context, "pipeline_url", env("CI_PIPELINE_URL"));
    put(context, "job_url", env("CI_JOB_URL"));
  } else if (!env("GITHUB_ACTIONS").empty()) {
    context.system = "github";
    put(context, "commit", env("GITHUB_SHA"));
    put(context, "ref", env("GITHUB_REF_NAME"));
    put(context, "project", env("GITHUB_REPOSITORY"));
    if (!env("GITHUB_SERVER_URL").empty() && !env("GITHUB_RUN_ID").empty())
      put(context, "pipeline_url", env("GITHUB_SERVER_URL") + "/" + env("GITHUB_REPOSITORY") + "/actions/runs/" + env("GITHUB_RUN_ID"));
  } else if (!env("JENKINS_URL").empty()) {
    context.system = "jenkins";
    put(context, "commit", env("GIT_COMMIT"));
    put(context, "ref", env("BRANCH_NAME"));
    put(context, "merge_request", env("CHANGE_ID"));
    put(context, "pipeline_url", env("BUILD_URL"));
  } else {
    context.system = "local";
  }
  return context;
}

}  // namespace chaosgate::cli
