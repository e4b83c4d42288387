#pragma once
// The Jira tracker (`--tracker jira`): Jira Cloud (REST API v3, descriptions
// and comments in Atlassian Document Format, basic auth with an email and an
// API token) or Jira Data Center (REST API v2, wiki markup, a personal access
// token as Bearer). Each team of the suite catalog routes to a project
// (JiraRoute); a ticket becomes an issue there with the ticket's labels,
// priority and description, its files as attachments and, optionally, one
// sub-task per follow-up task.
//
// Requests, by operation (N = 3 on Cloud, 2 on Data Center):
//   find_open  GET  /rest/api/3/search/jql?jql=...&fields=summary,status (Cloud, nextPageToken pages)
//              GET  /rest/api/2/search?jql=...&fields=summary,status    (Data Center, startAt pages)
//              jql: project = "KEY" AND labels = "LABEL" AND statusCategory != Done ORDER BY created ASC
//   create     POST /rest/api/N/issue, then POST /rest/api/N/issue/KEY/attachments per file
//              (multipart field `file`, X-Atlassian-Token: no-check), then the sub-tasks
//   comment    POST /rest/api/N/issue/KEY/comment
//   resolve    the comment, then either the configured transition
//              (GET + POST /rest/api/N/issue/KEY/transitions) or a relabel:
//              GET /rest/api/N/issue/KEY?fields=labels and PUT /rest/api/N/issue/KEY
//              removing the fingerprint and experiment labels, adding "chaos-recovered".
#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "http/http_client.h"
#include "http/retry.h"
#include "model/suite.h"
#include "tickets/tracker.h"

namespace chaosgate::trackers {

struct JiraConfig {
  enum class Flavor { cloud, data_center };
  Flavor flavor = Flavor::cloud;
  std::string base_url;  // "https://acme.atlassian.net" or "https://jira.example.com" (no trailing /rest)
  std::string email;     // Cloud: basic auth user (email + API token)
  std::string token;     // Cloud: API token; Data Center: personal access token (Bearer)
  std::map<std::string, JiraRoute> routes;  // team id -> project, component, issue type, assignee
  bool sub_tasks = false;                   // one sub-task per Ticket::tasks entry (issue type "Sub-task")
  std::string recovery_transition;          // applied by resolve(); empty: relabel instead
  http::RetryPolicy retry;
  std::chrono::milliseconds timeout{15000};  // per request (attachments get twice as long)
  // The gate's signal: once cancelled, a request in flight is cut and no
  // retry waited for; it throws TrackerUnavailable (the change is queued).
  const Cancellation* stop = nullptr;
};

// The label resolve() puts on a ticket it relabels.
inline constexpr const char* k_jira_recovered_label = "chaos-recovered";

// Throws UserError when the configuration cannot work: no base URL (or not
// http(s)://), no token, or Cloud without an email.
//
// The tracker's operations throw, never with the token or the Authorization
// header in the message:
//   - TrackerUnavailable when a request still failed after config.retry's
//     attempts with a transport failure or 429/502/503/504, or was given up
//     because config.stop was cancelled;
//   - std::runtime_error("jira: <METHOD> <path>: HTTP <code> <reason>: <Jira's
//     errorMessages and errors>") for any other non-2xx answer;
//   - std::runtime_error naming the team when it has no route (the suite
//     catalog needs `jira:` for it), and naming the transition and the ones
//     available when recovery_transition is not offered for an issue.
// create() throws a plain std::runtime_error naming the new issue when the
// issue was created but an attachment or sub-task failed: the ticket exists
// (find_open finds it), so filing it again later would duplicate it.
std::unique_ptr<Tracker> make_jira_tracker(JiraConfig config, std::shared_ptr<http::HttpClient> client,
                                           http::Sleeper sleep = {});

}  // namespace chaosgate::trackers
