#include "vcs/git_changes.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "process/process_runner.h"
#include "support/temp_dir.h"
#include "util/errors.h"

namespace chaosgate::vcs {

namespace {

// A real repository: main with one commit, a feature branch two commits
// ahead of where it left main, and main moved on meanwhile.
class GitRepository : public ::testing::Test {
protected:
  void SetUp() override {
    git({"init", "-q", "-b", "main"});
    m_dir.write("services/cart/redis.cpp", "v1\n");
    m_dir.write("services/storefront/index.cpp", "v1\n");
    m_dir.write("docs/old-name.md", "doc\n");
    commit("base");
    git({"checkout", "-q", "-b", "feature"});
    m_dir.write("services/cart/redis.cpp", "v2\n");
    m_dir.write("odd dir/name with spaces.txt", "x\n");
    git({"mv", "docs/old-name.md", "docs/new-name.md"});
    commit("feature 1");
    m_dir.write("README.md", "readme\n");
    commit("feature 2");
    git({"checkout", "-q", "main"});
    m_dir.write("services/storefront/index.cpp", "v2 on main\n");
    commit("main moves on");
    git({"checkout", "-q", "feature"});
  }

  std::string git(std::vector<std::string> arguments) {
    CommandSpec spec;
    spec.argv = {"git", "-C", m_dir.str()};
    spec.argv.insert(spec.argv.end(), arguments.begin(), arguments.end());
    // Independent of the developer's git configuration.
    spec.env = {{"GIT_CONFIG_GLOBAL", "/dev/null"}, {"GIT_CONFIG_NOSYSTEM", "1"}, {"GIT_AUTHOR_NAME", "t"},
                {"GIT_AUTHOR_EMAIL", "t@example.com"}, {"GIT_COMMITTER_NAME", "t"}, {"GIT_COMMITTER_EMAIL", "t@example.com"}};
    const auto result = process::run_process(spec, std::chrono::seconds(30));
    EXPECT_EQ(result.exit_code, 0) << spec.argv[3] << ": " << result.output;
    return result.output.substr(0, result.output.find('\n'));
  }
  void commit(const std::string& message) {
    git({"add", "-A"});
    git({"commit", "-q", "-m", message});
  }
  GitOptions options() const { return {m_dir.str(), std::chrono::seconds(30)}; }

  test::TempDir m_dir;
};

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

TEST_F(GitRepository, ListsTheFilesChangedSinceTheMergeBase) {
  const std::string base = merge_base("main", options());
  EXPECT_EQ(base, git({"rev-parse", "feature~2"}));
  // Not main's own later change; both sides of the rename; names with spaces intact.
  EXPECT_EQ(sorted(changed_files(base, options())),
            (std::vector<std::string>{"README.md", "docs/new-name.md", "docs/old-name.md", "odd dir/name with spaces.txt",
                                      "services/cart/redis.cpp"}));
}

TEST_F(GitRepository, NothingChangedIsAnEmptyList) {
  EXPECT_TRUE(changed_files(git({"rev-parse", "HEAD"}), options()).empty());
}

TEST_F(GitRepository, TargetBranchPrefersTheRemoteTrackingRef) {
  // No origin: the local branch.
  EXPECT_EQ(merge_base_with_branch("main", options()), git({"rev-parse", "feature~2"}));
  // origin/main as a CI clone has it, here at the feature's first commit.
  git({"update-ref", "refs/remotes/origin/main", git({"rev-parse", "feature~1"})});
  EXPECT_EQ(merge_base_with_branch("main", options()), git({"rev-parse", "feature~1"}));
  EXPECT_EQ(changed_files(merge_base_with_branch("main", options()), options()), std::vector<std::string>{"README.md"});
}

TEST_F(GitRepository, FailuresNameTheCommandAndGitsMessage) {
  try {
    merge_base_with_branch("no-such-branch", options());
    FAIL() << "no error";
  } catch (const UserError& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.exit_code(), k_exit_usage);
    EXPECT_NE(message.find("merge-base HEAD origin/no-such-branch failed (exit 128)"), std::string::npos) << message;
    EXPECT_NE(message.find("merge-base HEAD no-such-branch failed (exit 128): fatal:"), std::string::npos) << message;
    EXPECT_NE(message.find("fetch-depth: 0"), std::string::npos) << message;
  }
  try {
    changed_files("0123456789abcdef0123456789abcdef01234567", options());
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("git -C " + m_dir.str() + " diff --name-only"), std::string::npos) << e.what();
  }
}

TEST(GitChanges, OutsideARepositoryIsAUserError) {
  const test::TempDir empty;
  try {
    merge_base("main", {empty.str(), std::chrono::seconds(30)});
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("not a git repository"), std::string::npos) << e.what();
  }
}

}  // namespace chaosgate::vcs
