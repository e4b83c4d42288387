#pragma once
// The seam between the gate and where people look for its verdict: a commit
// status next to the pipeline, and a summary on the merge request (GitLab) or
// the job page (GitHub). The domain owns this port; adapters/status implements
// it for GitLab and GitHub. Tests use fakes that record what they received.
#include <string>

namespace chaosgate {

// The states common to GitLab and GitHub commit statuses; each adapter maps
// them to its API's words (GitHub has no "running": pending; no "canceled": error).
enum class CommitState { running, success, failed, canceled };

struct StatusUpdate {
  CommitState state = CommitState::running;
  std::string name;         // "chaosgate/<environment>": one status per gate, updated in place
  std::string description;  // one line; the adapter shortens it to its API's limit on a UTF-8 boundary
  std::string target_url;   // the CI job URL; empty: none is sent
};

// Failures are thrown as std::runtime_error whose message says which call
// failed and carries the server's own message (never a token): after the
// adapter's bounded retries (transport failures, 429, 502/503/504), or at once
// for any other non-2xx answer. Whether that fails the gate is the caller's choice.
class StatusPublisher {
public:
  virtual ~StatusPublisher() = default;

  // "gitlab", "github": for logs and error messages.
  virtual std::string name() const = 0;

  // Sets the commit status `update.name` on the configured commit. Publishing
  // the state it already has is not an error.
  virtual void publish(const StatusUpdate& update) = 0;

  // Shows `markdown` where people read the run: GitLab one merge-request note
  // per `key` (pass the status name), created on the first run and edited on
  // later ones, nothing when the pipeline is not for a merge request; GitHub
  // appends it to the job's step summary, nothing when there is no summary file.
  virtual void publish_summary(const std::string& key, const std::string& markdown) = 0;
};

}  // namespace chaosgate
