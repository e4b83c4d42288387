#include "sources/suite_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <thread>

#include "support/cancel_after.h"
#include "support/scoped_env.h"
#include "support/temp_dir.h"
#include "support/test_http_server.h"
#include "util/errors.h"
#include "util/redact.h"

namespace chaosgate::sources {
namespace {

using ::testing::HasSubstr;
using test::ScopedEnv;
using test::TempDir;
using test::TestHttpServer;

std::vector<SuiteFile> fetch(const std::string& spec, const FetchOptions& options = {}) {
  return make_suite_source(spec, http::make_curl_client())->fetch(options);
}

// The error fetch() throws, or a test failure when it does not throw.
UserError fetch_error(const std::string& spec, const FetchOptions& options = {}) {
  try {
    fetch(spec, options);
  } catch (const UserError& error) {
    return error;
  }
  ADD_FAILURE() << spec << ": expected a UserError";
  return UserError("none");
}

std::vector<std::string> names(const std::vector<SuiteFile>& files) {
  std::vector<std::string> out;
  for (const auto& file : files) out.push_back(file.name);
  return out;
}

// The sources' single-file suites: the text is moved in, never copied (a
// vector made from `{file}` copied it, holding a large suite's text twice).
TEST(SuiteFiles, OneFileTakesTheTextWithoutACopy) {
  SuiteFile file{"suite.json", std::string(100000, 'x'), "json"};
  const char* bytes = file.content.view().data();
  const auto files = one_file(std::move(file));
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].content.view().data(), bytes);
  EXPECT_EQ(files[0].content.size(), 100000u);
  EXPECT_EQ(files[0].name, "suite.json");
}

TEST(FileSource, ReadsOneFileWithFormatFromExtension) {
  TempDir dir;
  const auto path = dir.write("suite.yml", "version: 1\n").string();
  const auto files = fetch(path);
  ASSERT_EQ(files.size(), 1U);
  EXPECT_EQ(files[0].name, path);
  EXPECT_EQ(files[0].content.view(), "version: 1\n");
  EXPECT_EQ(files[0].format, "yaml");
}

TEST(FileSource, SniffsFormatOfOtherExtensions) {
  TempDir dir;
  EXPECT_EQ(fetch(dir.write("a.suite", "  \n {\"version\": 1}").string())[0].format, "json");
  EXPECT_EQ(fetch(dir.write("b.suite", "[1]").string())[0].format, "json");
  EXPECT_EQ(fetch(dir.write("c.suite", "version: 1").string())[0].format, "yaml");
  EXPECT_EQ(fetch(dir.write("d.JSON", "version: 1").string())[0].format, "json");
}

TEST(FileSource, DirectoryIsSortedByRelativePathAndSkipsHiddenAndOtherFiles) {
  TempDir dir;
  dir.write("b.yaml", "b");
  dir.write("a.json", "{}");
  dir.write("A.yaml", "A");
  dir.write("sub/c.yml", "c");
  dir.write("sub/deeper/d.json", "{}");
  dir.write("a/z.yaml", "z");
  dir.write("notes.txt", "not a suite");
  dir.write(".hidden.yaml", "hidden");
  dir.write(".git/config.yaml", "hidden");
  dir.write("sub/.cache/e.yaml", "hidden");

  const auto files = fetch(dir.str());
  const auto root = dir.str() + "/";
  EXPECT_THAT(names(files), ::testing::ElementsAre(root + "A.yaml", root + "a.json", root + "a/z.yaml",
                                                   root + "b.yaml", root + "sub/c.yml",
                                                   root + "sub/deeper/d.json"));
  EXPECT_EQ(files[0].format, "yaml");
  EXPECT_EQ(files[1].format, "json");
  EXPECT_EQ(files[3].content.view(), "b");
}

TEST(FileSource, FollowsSymlinkedDirectoriesButReportsLoops) {
  TempDir dir;
  dir.write("suites/team/x.yaml", "x");
  dir.write("shared/y.yaml", "y");
  std::filesystem::create_directory_symlink(dir.path() / "shared", dir.path() / "suites/shared");
  EXPECT_EQ(fetch((dir.path() / "suites").string()).size(), 2U);

  std::filesystem::create_directory_symlink(dir.path() / "suites", dir.path() / "suites/team/loop");
  const auto error = fetch_error((dir.path() / "suites").string());
  EXPECT_THAT(error.what(), HasSubstr("loop"));
  EXPECT_THAT(error.what(), HasSubstr("team/loop"));
  EXPECT_EQ(error.exit_code(), k_exit_usage);
}

TEST(FileSource, DirectoryWithoutSuiteFilesIsAnError) {
  TempDir dir;
  EXPECT_THAT(fetch_error(dir.str()).what(), HasSubstr("no *.json, *.yaml or *.yml suite files"));
  dir.write("README.md", "hi");
  dir.write(".hidden/x.yaml", "x");
  EXPECT_THAT(fetch_error(dir.str()).what(), HasSubstr(dir.str()));
}

TEST(FileSource, MissingPathIsAnError) {
  TempDir dir;
  const auto path = dir.str() + "/nope.yaml";
  const auto error = fetch_error(path);
  EXPECT_EQ(std::string(error.what()), path + ": no such file or directory");
  EXPECT_EQ(error.exit_code(), k_exit_usage);
}

TEST(FileSource, OversizeFileIsAnErrorNamingFileAndLimit) {
  TempDir dir;
  dir.write("suites/small.yaml", "ok");
  dir.write("suites/big.yaml", std::string(2048, 'x'));
  FetchOptions options;
  options.max_bytes = 1024;
  const auto error = fetch_error(dir.str() + "/suites", options);
  EXPECT_THAT(error.what(), HasSubstr("suites/big.yaml"));
  EXPECT_THAT(error.what(), HasSubstr("1024 bytes"));
  EXPECT_THAT(fetch_error(dir.str() + "/suites/big.yaml", options).what(), HasSubstr("1024"));
}

TEST(FileSource, UnreadableFileIsAnError) {
  TempDir dir;
  const auto path = dir.write("locked.yaml", "x");
  std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_all | std::filesystem::perms::others_exec);
  std::filesystem::permissions(path, std::filesystem::perms::none);
  // Root reads any file (CI runs as root): the check runs in a child that
  // drops to "nobody" first, so it never skips.
  EXPECT_EXIT(
      {
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) std::_Exit(2);
        try {
          fetch(path.string(), {});
        } catch (const UserError& error) {
          std::_Exit(std::string(error.what()).find("cannot be read") != std::string::npos ? 0 : 3);
        }
        std::_Exit(4);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(SuiteSourceRegistry, RejectsUnknownSchemes) {
  EXPECT_THAT(fetch_error("s3://bucket/suite.yaml").what(), HasSubstr("unsupported suite source"));
  EXPECT_THROW(make_suite_source("", http::make_curl_client()), UserError);
}

class HttpSourceTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_server.on("GET", "/suite.yaml", [](const auto&, auto& res) { res.set_content("version: 1", "text/plain"); });
    m_server.on("GET", "/api/suite", [](const auto&, auto& res) {
      res.set_content(R"({"version": 1})", "application/json; charset=utf-8");
    });
    m_server.on("GET", "/sniff", [](const auto&, auto& res) { res.set_content("[1]", "text/plain"); });
    m_server.on("GET", "/down", [](const auto&, auto& res) { res.status = 503; });
    m_server.start();
  }

  TestHttpServer m_server;
};

TEST_F(HttpSourceTest, FetchesWithFormatFromPathThenContentTypeThenContent) {
  const auto files = fetch(m_server.url("/suite.yaml?token=abcdef"));
  ASSERT_EQ(files.size(), 1U);
  EXPECT_EQ(files[0].content.view(), "version: 1");
  EXPECT_EQ(files[0].format, "yaml");
  EXPECT_EQ(files[0].name, m_server.url("/suite.yaml?token=***"));
  EXPECT_EQ(fetch(m_server.url("/api/suite"))[0].format, "json");
  EXPECT_EQ(fetch(m_server.url("/sniff"))[0].format, "json");
}

TEST_F(HttpSourceTest, HttpErrorStatusIsUserError) {
  const auto not_found = fetch_error(m_server.url("/missing.yaml?private_token=leaky"));
  EXPECT_EQ(std::string(not_found.what()),
            m_server.url("/missing.yaml?private_token=***") + ": HTTP 404 Not Found");
  EXPECT_EQ(not_found.exit_code(), k_exit_usage);
  EXPECT_THAT(fetch_error(m_server.url("/down")).what(), HasSubstr("HTTP 503 Service Unavailable"));
}

TEST_F(HttpSourceTest, OversizeResponseIsUserError) {
  FetchOptions options;
  options.max_bytes = 4;
  const auto error = fetch_error(m_server.url("/suite.yaml"), options);
  EXPECT_THAT(error.what(), HasSubstr("4 bytes"));
  EXPECT_EQ(error.exit_code(), k_exit_usage);
}

// The gate interrupted while the suite downloads from a server that holds
// the request: given up at once, not after the 30 s timeout.
TEST(HttpSource, ASignalGivesUpTheDownload) {
  TestHttpServer server;
  server.on("GET", "/suite.yaml", [](const auto&, auto& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    res.set_content("version: 1", "text/plain");
  });
  server.start();
  Cancellation signal;
  FetchOptions options;
  options.stop = &signal;
  test::CancelAfter cancel(signal, std::chrono::milliseconds(200), "interrupted by SIGTERM");
  const auto started = std::chrono::steady_clock::now();
  const auto error = fetch_error(server.url("/suite.yaml"), options);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1500)) << "the answer was waited for";
  EXPECT_THAT(error.what(), HasSubstr("interrupted by SIGTERM"));
}

TEST(HttpSource, RefusedConnectionIsUnreachable) {
  const auto url = "http://127.0.0.1:" + std::to_string(test::closed_port()) + "/suite.yaml";
  try {
    fetch(url);
    FAIL() << "expected UnreachableError";
  } catch (const UnreachableError& error) {
    EXPECT_EQ(error.exit_code(), k_exit_environment);
    EXPECT_THAT(error.what(), HasSubstr(url));
  }
}

TEST_F(HttpSourceTest, SendsAuthHeaderFromEnvironmentAndRedactsIt) {
  ScopedEnv auth("CHAOSGATE_TEST_SUITE_AUTH", "Authorization: Bearer sekrit-suite-token");
  FetchOptions options;
  options.auth_header_env = "CHAOSGATE_TEST_SUITE_AUTH";
  fetch(m_server.url("/suite.yaml"), options);
  EXPECT_EQ(m_server.requests().back().header("authorization"), "Bearer sekrit-suite-token");
  EXPECT_EQ(redact("log: Bearer sekrit-suite-token"), "log: Bearer ***");

  ScopedEnv unset("CHAOSGATE_TEST_SUITE_AUTH", std::nullopt);
  EXPECT_THAT(fetch_error(m_server.url("/suite.yaml"), options).what(),
              HasSubstr("CHAOSGATE_TEST_SUITE_AUTH is not set"));
}

class GitlabSourceTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_server.on("GET", "/api/v4/projects/.*", [](const auto&, auto& res) {
      res.set_content("version: 1\n", "text/plain");
    });
    m_server.start();
  }

  TestHttpServer m_server;
  ScopedEnv m_api_url{"CI_API_V4_URL", std::nullopt};
  ScopedEnv m_gitlab_api_url{"GITLAB_API_URL", std::nullopt};
  ScopedEnv m_token{"GITLAB_TOKEN", std::nullopt};
  ScopedEnv m_job_token{"CI_JOB_TOKEN", std::nullopt};
};

TEST_F(GitlabSourceTest, BuildsTheRepositoryFilesUrlAndSendsPrivateToken) {
  ScopedEnv api("CI_API_V4_URL", m_server.url("/api/v4/"));
  ScopedEnv token("GITLAB_TOKEN", "glpat-test-token-1");
  const auto files = fetch("gitlab://platform/chaos/suites//green/shop.yaml@release/1.2");

  ASSERT_EQ(files.size(), 1U);
  EXPECT_EQ(files[0].name, "gitlab://platform/chaos/suites//green/shop.yaml@release/1.2");
  EXPECT_EQ(files[0].format, "yaml");
  EXPECT_EQ(files[0].content.view(), "version: 1\n");
  const auto received = m_server.requests().at(0);
  EXPECT_EQ(received.target,
            "/api/v4/projects/platform%2Fchaos%2Fsuites/repository/files/green%2Fshop%2Eyaml/raw"
            "?ref=release%2F1%2E2");
  EXPECT_EQ(received.path, "/api/v4/projects/platform/chaos/suites/repository/files/green/shop.yaml/raw");
  EXPECT_EQ(received.header("private-token"), "glpat-test-token-1");
  EXPECT_EQ(received.header("job-token"), std::nullopt);
  EXPECT_EQ(redact("glpat-test-token-1"), "***");
}

TEST_F(GitlabSourceTest, DefaultsToHeadAndFallsBackToJobToken) {
  ScopedEnv api("GITLAB_API_URL", m_server.url("/api/v4"));
  ScopedEnv job_token("CI_JOB_TOKEN", "job-token-value");
  fetch("gitlab://group/project//suite.json");
  const auto received = m_server.requests().at(0);
  EXPECT_EQ(received.target, "/api/v4/projects/group%2Fproject/repository/files/suite%2Ejson/raw?ref=HEAD");
  EXPECT_EQ(received.header("job-token"), "job-token-value");
  EXPECT_EQ(received.header("private-token"), std::nullopt);
}

TEST_F(GitlabSourceTest, ErrorsForMalformedSpecMissingApiUrlAndHttpStatus) {
  EXPECT_THAT(fetch_error("gitlab://group/project/suite.yaml").what(),
              HasSubstr("expected gitlab://GROUP/PROJECT//PATH/IN/REPO[@REF]"));
  EXPECT_THAT(fetch_error("gitlab://group/project//suite.yaml@").what(), HasSubstr("expected"));
  EXPECT_THAT(fetch_error("gitlab://group/project//suite.yaml").what(), HasSubstr("CI_API_V4_URL"));

  TestHttpServer gitlab;  // answers 404 for every file, as GitLab does for a missing one
  gitlab.start();
  ScopedEnv api("CI_API_V4_URL", gitlab.url("/api/v4"));
  const auto error = fetch_error("gitlab://group/project//missing.yaml");
  EXPECT_EQ(std::string(error.what()), "gitlab://group/project//missing.yaml: HTTP 404 Not Found");
}

}  // namespace
}  // namespace chaosgate::sources
