#pragma once
// The tracker options `run` and `tickets flush` share (--tracker and how to
// reach Jira or GitLab), and building the tracker they describe.
#include <CLI/CLI.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/cancellation.h"
#include "model/suite.h"
#include "tickets/tracker.h"

namespace chaosgate::cli {

struct TrackerOptions {
  std::string kind = "file";  // file, jira, gitlab, none
  std::string state_dir = ".chaosgate";
  // Jira: URL from --jira-url or JIRA_URL; Cloud signs in with JIRA_EMAIL +
  // JIRA_API_TOKEN, Data Center with a personal access token in JIRA_PAT.
  std::string jira_url;
  std::string jira_flavor = "cloud";
  std::string jira_token_file;  // instead of JIRA_API_TOKEN / JIRA_PAT
  std::string jira_recovery_transition;
  bool jira_sub_tasks = false;
  // GitLab: API from --gitlab-url or CI_API_V4_URL; GITLAB_TOKEN (a personal,
  // project or group access token: a CI job token cannot create issues).
  std::string gitlab_url;
  std::string gitlab_token_file;  // instead of GITLAB_TOKEN
  bool gitlab_close_on_recovery = false;
  std::string ca_bundle;  // --tracker-ca-bundle: PEM for a private CA
  // Print every request that would change the tracker (redacted) instead of
  // sending it; reads still go to the tracker. Jira and GitLab only.
  bool dry_run = false;
  // --ticket-priority LEVEL=NAME (repeatable): the tracker's priority name
  // for a risk level, e.g. critical=Blocker.
  std::vector<std::string> priorities;
};

// Adds --tracker, --state-dir, --jira-*, --gitlab-*, --tracker-ca-bundle.
void add_tracker_options(CLI::App& command, TrackerOptions& options);

// --ticket-priority as risk level -> priority name. Throws UserError for an
// item that is not LEVEL=NAME with LEVEL one of critical, high, medium, low.
std::map<std::string, std::string> priority_names(const TrackerOptions& options);

// The outbox directory under the state directory.
std::string outbox_dir(const TrackerOptions& options);

// The tracker `options` name, routing by `teams` (the suite catalog's teams,
// or the routes queued with outbox changes); nullptr for "none". Files of the
// file tracker go under `out_dir`/tickets. Throws UserError (exit 2) when a
// URL or token is missing or the file tracker's index is unusable. Tokens are
// registered with redact() before anything is logged. Jira and GitLab give up
// a request (TrackerUnavailable: the change is queued) once `stop` is
// cancelled, so a signal during the ticket filing does not wait for them.
std::unique_ptr<Tracker> make_tracker(const TrackerOptions& options, const std::string& out_dir,
                                      const std::map<std::string, Team>& teams, const Cancellation* stop = nullptr);

}  // namespace chaosgate::cli
