#pragma once
// The GitLab implementation of the Tracker port (REST API v4, issues):
//
//   find_open  GET  /projects/:id/issues?labels=L&state=opened&order_by=created_at&sort=asc&per_page=100
//                   (every page, following X-Next-Page)
//   create     POST /projects/:id/uploads (multipart field `file`, one per attachment), then
//              POST /projects/:id/issues {title, description, labels, assignee_ids, due_date};
//              the uploads' `markdown` links go into an "Attached files" section at the end
//              of the description, whose "- [ ]" task list holds the follow-up tasks
//   comment    POST /projects/:id/issues/:iid/notes {body}
//   resolve    the note, then PUT /projects/:id/issues/:iid with state_event=close
//              (close_on_recovery), or else GET the issue and PUT remove_labels = its
//              fingerprint and experiment labels ("cg-" / "cg-exp-" + 16 hex digits, as
//              compose_ticket forms them) and add_labels = "chaos-recovered": the team
//              closes the issue itself, find_open no longer finds it.
//
// Keys are "<project>#<iid>" with the project as the route names it ("shop/checkout#42",
// "1234#7"); the URL is the web_url. Label lists are sent as JSON arrays (the API
// accepts arrays and comma-separated strings; its OpenAPI document only arrays).
//
// Errors (see tickets/tracker.h): still retryable after config.retry (transport failure,
// 429, 502/503/504) -> TrackerUnavailable; any other non-2xx -> std::runtime_error
// "gitlab: <METHOD> <path>: HTTP 403 Forbidden: <GitLab's message>"; a team without a
// `gitlab:` route -> UserError. Messages never contain the token.
#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "http/http_client.h"
#include "http/retry.h"
#include "model/suite.h"
#include "tickets/tracker.h"

namespace chaosgate::trackers {

struct GitlabTrackerConfig {
  std::string api_url;  // "https://gitlab.example.com/api/v4" (CI_API_V4_URL); a trailing "/" is ignored
  std::string token;    // sent as PRIVATE-TOKEN (a CI job token cannot create issues)
  std::map<std::string, GitlabRoute> routes;  // team id -> project, extra labels, assignees
  bool close_on_recovery = false;             // resolve(): close the issue instead of relabelling it
  http::RetryPolicy retry;
  std::chrono::milliseconds timeout{15000};   // per request (whole transfer)
  // The gate's signal: once cancelled, a request in flight is cut and no
  // retry waited for; it throws TrackerUnavailable (the change is queued).
  const Cancellation* stop = nullptr;
};

// Days from today (UTC) to an issue's due_date, by Ticket::priority: Highest 3,
// High 7, Medium 14, Low 30; an unknown priority is treated as Medium.
int gitlab_due_in_days(const std::string& priority);

// The scoped label of a priority: "High" -> "priority::high".
std::string gitlab_priority_label(const std::string& priority);

// `client` is shared (the CLI's one curl client); `sleep` waits between retries
// (empty: really sleep), tests pass one that records. Throws UserError when
// config.api_url or config.token is empty.
std::unique_ptr<Tracker> make_gitlab_tracker(GitlabTrackerConfig config, std::shared_ptr<http::HttpClient> client,
                                             http::Sleeper sleep = {});

}  // namespace chaosgate::trackers
