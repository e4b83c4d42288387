#include "cli/ci_context.h"

#include <gtest/gtest.h>

#include <deque>

#include "support/scoped_env.h"
#include "util/errors.h"

namespace chaosgate::cli {
namespace {

// The environment of one CI job: every variable named is set (or unset) for
// the test, and the three CI systems' markers are unset unless given.
class CiEnvironment {
public:
  CiEnvironment(std::initializer_list<std::pair<const char*, std::optional<std::string>>> variables) {
    for (const char* marker : {"GITLAB_CI", "GITHUB_ACTIONS", "JENKINS_URL"}) m_env.emplace_back(marker, std::nullopt);
    for (const auto& [name, value] : variables) m_env.emplace_back(name, value);
  }
  // In reverse: a marker set by the test was first unset, and its old value
  // must be restored last.
  ~CiEnvironment() {
    while (!m_env.empty()) m_env.pop_back();
  }
  CiEnvironment(const CiEnvironment&) = delete;
  CiEnvironment& operator=(const CiEnvironment&) = delete;

private:
  std::deque<test::ScopedEnv> m_env;
};

TEST(CiContext, LocalWhenNoCiSystemIsDetected) {
  CiEnvironment env({{"CI_COMMIT_SHA", "abc"}});
  const CiContext context = detect_ci_context();
  EXPECT_EQ(context.system, "local");
  EXPECT_TRUE(context.values.empty());
}

TEST(CiContext, GitLabTagPipelineNamesItsRefByTheTag) {
  CiEnvironment env({{"GITLAB_CI", "true"},
                     {"CI_COMMIT_SHA", "0a1b2c"},
                     {"CI_COMMIT_TAG", "v1.2.0"},
                     {"CI_COMMIT_REF_NAME", "main"},
                     {"CI_PROJECT_ID", "42"},
                     {"CI_MERGE_REQUEST_IID", std::nullopt}});
  const CiContext context = detect_ci_context();
  EXPECT_EQ(context.system, "gitlab");
  EXPECT_EQ(context.values.at("commit"), "0a1b2c");
  EXPECT_EQ(context.values.at("ref"), "v1.2.0");
  EXPECT_EQ(context.values.at("tag"), "v1.2.0");
  EXPECT_EQ(context.values.at("project_id"), "42");
  EXPECT_FALSE(context.values.contains("merge_request"));  // unset variables leave no empty key
}

TEST(CiContext, GitLabBranchPipelineNamesItsRefByTheBranch) {
  CiEnvironment env({{"GITLAB_CI", "true"}, {"CI_COMMIT_TAG", std::nullopt}, {"CI_COMMIT_REF_NAME", "feature/x"}});
  const CiContext context = detect_ci_context();
  EXPECT_EQ(context.values.at("ref"), "feature/x");
  EXPECT_FALSE(context.values.contains("tag"));
}

TEST(CiContext, GitHubDerivesTheTagAndTheRunUrl) {
  CiEnvironment env({{"GITHUB_ACTIONS", "true"},
                     {"GITHUB_SHA", "ffee"},
                     {"GITHUB_REF_NAME", "v2"},
                     {"GITHUB_REF_TYPE", "tag"},
                     {"GITHUB_REPOSITORY", "shop/cart"},
                     {"GITHUB_SERVER_URL", "https://github.example"},
                     {"GITHUB_RUN_ID", "77"}});
  const CiContext context = detect_ci_context();
  EXPECT_EQ(context.system, "github");
  EXPECT_EQ(context.values.at("commit"), "ffee");
  EXPECT_EQ(context.values.at("tag"), "v2");
  EXPECT_EQ(context.values.at("pipeline_url"), "https://github.example/shop/cart/actions/runs/77");
  EXPECT_EQ(context.values.at("job_url"), context.values.at("pipeline_url"));
}

TEST(CiContext, GitHubBranchHasNoTagAndNoRunUrlWithoutTheRunId) {
  CiEnvironment env({{"GITHUB_ACTIONS", "true"},
                     {"GITHUB_REF_NAME", "main"},
                     {"GITHUB_REF_TYPE", "branch"},
                     {"GITHUB_SERVER_URL", "https://github.example"},
                     {"GITHUB_RUN_ID", std::nullopt}});
  const CiContext context = detect_ci_context();
  EXPECT_FALSE(context.values.contains("tag"));
  EXPECT_FALSE(context.values.contains("pipeline_url"));
}

TEST(CiContext, JenkinsChangeRequest) {
  CiEnvironment env({{"JENKINS_URL", "https://jenkins.example/"},
                     {"GIT_COMMIT", "1234"},
                     {"TAG_NAME", std::nullopt},
                     {"BRANCH_NAME", "PR-9"},
                     {"CHANGE_ID", "9"},
                     {"BUILD_URL", "https://jenkins.example/job/9/"}});
  const CiContext context = detect_ci_context();
  EXPECT_EQ(context.system, "jenkins");
  EXPECT_EQ(context.values.at("ref"), "PR-9");
  EXPECT_EQ(context.values.at("merge_request"), "9");
  EXPECT_EQ(context.values.at("job_url"), "https://jenkins.example/job/9/");
}

TEST(CiContext, OverridesSetRemoveAndRenameTheSystem) {
  CiEnvironment env({{"GITLAB_CI", "true"}, {"CI_COMMIT_SHA", "0a1b2c"}, {"CI_PROJECT_ID", "42"}});
  const CiContext context = detect_ci_context({"commit=ffff", "project_id=", "system=github"});
  EXPECT_EQ(context.system, "github");
  EXPECT_EQ(context.values.at("commit"), "ffff");
  EXPECT_FALSE(context.values.contains("project_id"));
  EXPECT_THROW(detect_ci_context({"commit"}), UserError);
}

}  // namespace
}  // namespace chaosgate::cli
