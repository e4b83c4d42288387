#pragma once
// `--status github`: the gate's verdict as a GitHub commit status, and its
// summary appended to the job's step summary ($GITHUB_STEP_SUMMARY).
//
//   POST /repos/{owner}/{repo}/statuses/{sha}   {state, context, description, target_url}
//   states: running -> pending, success, failed -> failure, canceled -> error
//
// Headers: `Authorization: Bearer <token>`, `Accept: application/vnd.github+json`,
// `X-GitHub-Api-Version: 2022-11-28`. GITHUB_TOKEN works when the workflow
// grants `permissions: statuses: write`.
#include <chrono>
#include <memory>
#include <string>

#include "http/http_client.h"
#include "http/retry.h"
#include "status/status_publisher.h"

namespace chaosgate::status {

struct GithubStatusConfig {
  std::string api_url = "https://api.github.com";  // GITHUB_API_URL (GHES: https://host/api/v3)
  std::string token;                // GITHUB_TOKEN (or a token with repo:status)
  std::string repository;           // GITHUB_REPOSITORY: "owner/repo"
  std::string sha;                  // GITHUB_SHA; on pull_request events use the PR head
                                    // (event .pull_request.head.sha): GITHUB_SHA is then a merge
                                    // commit whose statuses the PR does not show
  std::string step_summary_path;    // GITHUB_STEP_SUMMARY; empty: publish_summary does nothing
  http::RetryPolicy retry;
  std::chrono::milliseconds timeout{30000};  // per request
};

// Throws UserError (exit 2) when api_url, token or sha is empty or repository
// is not "owner/repo". The token is registered with redact(). Requests go
// through http::send_with_retry with `config.retry` and `sleep` (empty: really
// sleep). publish_summary throws std::runtime_error naming the file when it
// cannot be appended to.
std::unique_ptr<StatusPublisher> make_github_status(GithubStatusConfig config,
                                                    std::shared_ptr<http::HttpClient> client,
                                                    http::Sleeper sleep = {});

}  // namespace chaosgate::status
