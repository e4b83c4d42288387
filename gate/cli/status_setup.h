#pragma once
// Where the verdict is published (--status), and publishing it without ever
// letting a publishing failure change or hide the verdict: failures are
// logged, kept as notices for the summary and the journal, and the caller
// applies the exit policy.
#include <CLI/CLI.hpp>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "engine/cancellation.h"
#include "model/run_result.h"
#include "status/status_publisher.h"

namespace chaosgate::cli {

struct StatusOptions {
  // auto: GitLab CI with GITLAB_TOKEN -> gitlab, GitHub Actions with
  // GITHUB_TOKEN -> github, else none (logged once).
  std::string kind = "auto";
  std::string token_file;    // instead of GITLAB_TOKEN / GITHUB_TOKEN
  std::string step_summary;  // GitHub: append summary.md here (e.g. "$GITHUB_STEP_SUMMARY")
};

// Adds --status, --status-token-file, --step-summary.
void add_status_options(CLI::App& command, StatusOptions& options);

// Publishes a run's statuses through the publisher `options` and the CI
// context call for. Never throws after construction.
class StatusReporter {
public:
  // Throws UserError (exit 2) when --status names a system the context or the
  // environment cannot serve (no token, no commit): found before any fault.
  // Once `give_up` is cancelled (the gate interrupted), each publication gets
  // one attempt with a short timeout (RetryPolicy::last_attempt_timeout): no
  // back-off and no 30 s request holds the exit.
  StatusReporter(const StatusOptions& options, const CiContext& ci, std::string environment, std::string shard,
                 const Cancellation* give_up = nullptr);
  ~StatusReporter();

  bool enabled() const { return m_publisher != nullptr; }

  // Sent in the background: an unreachable status API (retried with back-off)
  // must not delay the experiments. finished() waits for it first, so the
  // API never sees "running" after the final state.
  void running(const std::string& suite_name, std::size_t experiments);
  // The final commit status of a decided run.
  void finished(const RunResult& run);
  // summary.md where people read it (MR note / step summary).
  void summary(const std::string& markdown);

  // One line per failed publication, for RunResult::notices.
  const std::vector<std::string>& problems() const { return m_problems; }

private:
  void attempt(const std::string& what, const std::function<void()>& call);

  std::unique_ptr<StatusPublisher> m_publisher;
  std::string m_environment;
  std::string m_shard;
  std::string m_target_url;
  std::vector<std::string> m_problems;
  std::future<void> m_running;  // the background "running" status; waited for before anything else is sent
};

}  // namespace chaosgate::cli
