#include "cli/status_setup.h"

#include <spdlog/spdlog.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/secrets.h"
#include "http/http_client.h"
#include "status/github_status.h"
#include "status/gitlab_status.h"
#include "status/status_text.h"
#include "util/errors.h"
#include "util/redact.h"

namespace chaosgate::cli {

namespace {

std::string value(const CiContext& ci, const char* key) {
  const auto it = ci.values.find(key);
  return it == ci.values.end() ? std::string() : it->second;
}

// On a pull_request event GITHUB_SHA is a merge commit the pull request does
// not show; its status belongs on the head commit, found in the event payload.
std::string github_head_sha(const CiContext& ci) {
  const std::string event_path = env_or_empty("GITHUB_EVENT_PATH");
  if (env_or_empty("GITHUB_EVENT_NAME").rfind("pull_request", 0) == 0 && !event_path.empty()) {
    std::ifstream in(event_path);
    const auto event = nlohmann::json::parse(in, nullptr, false);
    if (!event.is_discarded()) {
      const auto sha = event.value(nlohmann::json::json_pointer("/pull_request/head/sha"), std::string());
      if (!sha.empty()) return sha;
    }
  }
  return value(ci, "commit");
}

std::shared_ptr<http::HttpClient> client() { return std::shared_ptr<http::HttpClient>(http::make_curl_client()); }

std::unique_ptr<StatusPublisher> gitlab(const CiContext& ci, const std::string& token, const Cancellation* give_up) {
  status::GitlabStatusConfig config;
  config.retry.give_up = give_up;
  config.api_url = value(ci, "api_url");
  config.token = token;
  config.project = value(ci, "project_id").empty() ? value(ci, "project") : value(ci, "project_id");
  config.sha = value(ci, "commit");
  config.pipeline_id = value(ci, "pipeline_id");
  config.merge_request_iid = value(ci, "merge_request");
  return status::make_gitlab_status(std::move(config), client());
}

std::unique_ptr<StatusPublisher> github(const CiContext& ci, const std::string& token, const std::string& step_summary,
                                        const Cancellation* give_up) {
  status::GithubStatusConfig config;
  config.retry.give_up = give_up;
  if (const auto api = value(ci, "api_url"); !api.empty()) config.api_url = api;
  config.token = token;
  config.repository = value(ci, "project");
  config.sha = github_head_sha(ci);
  config.step_summary_path = step_summary;
  return status::make_github_status(std::move(config), client());
}

}  // namespace

void add_status_options(CLI::App& command, StatusOptions& options) {
  command.add_option("--status", options.kind,
                     "Publish the verdict as a commit status (+ MR note on GitLab): gitlab, github, none, or auto "
                     "(from the CI context when GITLAB_TOKEN / GITHUB_TOKEN is set)")
      ->check(CLI::IsMember({"auto", "gitlab", "github", "none"}))
      ->capture_default_str();
  command.add_option("--status-token-file", options.token_file, "Read the status token from this file instead of GITLAB_TOKEN / GITHUB_TOKEN");
  command.add_option("--step-summary", options.step_summary,
                     "GitHub: append summary.md to this file (pass \"$GITHUB_STEP_SUMMARY\"; the shipped workflow does it itself)");
}

StatusReporter::StatusReporter(const StatusOptions& options, const CiContext& ci, std::string environment, std::string shard,
                               const Cancellation* give_up)
    : m_environment(std::move(environment)), m_shard(std::move(shard)), m_target_url(value(ci, "job_url")) {
  std::string kind = options.kind;
  const char* variable = kind == "github" || (kind == "auto" && ci.system == "github") ? "GITHUB_TOKEN" : "GITLAB_TOKEN";
  const std::string token = read_token(options.token_file, variable, "status token");
  if (kind == "auto") {
    kind = "none";
    if (ci.system == "gitlab" || ci.system == "github") {
      if (token.empty()) {
        spdlog::info("commit status not published: set {} (an access token; see README) or pass --status none", variable);
      } else {
        kind = ci.system;
      }
    }
  }
  if (kind != "none" && token.empty())
    throw UserError(std::string("--status ") + kind + " needs a token: set " + variable + " or pass --status-token-file");
  if (!options.step_summary.empty() && kind != "github")
    throw UserError("--step-summary is published with --status github (it needs the GitHub context)");
  if (kind == "gitlab") m_publisher = gitlab(ci, token, give_up);
  if (kind == "github") m_publisher = github(ci, token, options.step_summary, give_up);
}

StatusReporter::~StatusReporter() {
  if (m_running.valid()) m_running.wait();
}

void StatusReporter::attempt(const std::string& what, const std::function<void()>& call) {
  if (!m_publisher) return;
  try {
    call();
  } catch (const std::exception& e) {
    const std::string problem = m_publisher->name() + " " + what + " not published: " + redact(e.what());
    spdlog::warn("{}", problem);
    m_problems.push_back(problem);
  }
}

void StatusReporter::running(const std::string& suite_name, std::size_t experiments) {
  if (!m_publisher) return;
  StatusUpdate status = running_status(m_environment, m_shard, suite_name, experiments, m_target_url);
  // Only this task touches m_publisher and m_problems until finished() waits for it.
  m_running = std::async(std::launch::async, [this, status = std::move(status)] {
    attempt("commit status (running)", [&] { m_publisher->publish(status); });
  });
}

void StatusReporter::finished(const RunResult& run) {
  if (m_running.valid()) m_running.get();
  attempt("commit status", [&] { m_publisher->publish(final_status(run, m_target_url)); });
}

void StatusReporter::summary(const std::string& markdown) {
  attempt("summary", [&] { m_publisher->publish_summary(status_name(m_environment, m_shard), markdown); });
}

}  // namespace chaosgate::cli
