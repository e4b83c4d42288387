#pragma once
// `--status gitlab`: the gate's verdict as a GitLab commit status, and its
// summary as one merge-request note that later runs edit instead of repeating.
//
//   POST /projects/:id/statuses/:sha             {state, name, description, target_url, pipeline_id}
//   GET  /projects/:id/merge_requests/:iid/notes?per_page=100&sort=desc&order_by=updated_at&page=N
//   PUT  /projects/:id/merge_requests/:iid/notes/:note_id   {body}   our earlier note, or
//   POST /projects/:id/merge_requests/:iid/notes            {body}   the first time
//
// Our note is the newest non-system note whose body starts with the hidden
// marker `<!-- chaosgate:<key> -->` (one note per status name, so staging and
// production keep their own); a note quoting it does not start with it.
//
// Authentication is the PRIVATE-TOKEN header with a personal, project or group
// access token with the `api` scope (Developer role or above). CI_JOB_TOKEN
// does NOT work: the commit status and notes APIs do not accept JOB-TOKEN.
#include <chrono>
#include <memory>
#include <string>

#include "http/http_client.h"
#include "http/retry.h"
#include "status/status_publisher.h"

namespace chaosgate::status {

struct GitlabStatusConfig {
  std::string api_url;            // CI_API_V4_URL: "https://gitlab.example.com/api/v4"
  std::string token;              // an access token with `api` scope (not CI_JOB_TOKEN)
  std::string project;            // CI_PROJECT_ID ("42") or the path ("group/sub/app"); encoded here
  std::string sha;                // CI_COMMIT_SHA
  std::string pipeline_id;        // CI_PIPELINE_ID: puts the status into this pipeline; may be empty
  std::string ref;                // leave empty in CI: GitLab takes the pipeline's ref, and a
                                  // branch name that differs from a merge-request pipeline's
                                  // ref (refs/merge-requests/N/head) makes GitLab start a new pipeline
  std::string merge_request_iid;  // CI_MERGE_REQUEST_IID; empty: no MR, publish_summary does nothing
  http::RetryPolicy retry;
  std::chrono::milliseconds timeout{30000};  // per request
  int max_note_pages = 20;        // pages of 100 notes searched for our note before creating one
};

// Throws UserError (exit 2) when api_url, token, project or sha is empty, or
// pipeline_id / merge_request_iid is not a number. The token is registered
// with redact(). Requests go through http::send_with_retry with `config.retry`
// and `sleep` (empty: really sleep). Once `config.retry.give_up` is cancelled,
// a request the API does not answer (a timeout or refusal, not a transfer cut
// by the signal) is the last one: later calls throw at once without sending.
std::unique_ptr<StatusPublisher> make_gitlab_status(GitlabStatusConfig config,
                                                    std::shared_ptr<http::HttpClient> client,
                                                    http::Sleeper sleep = {});

}  // namespace chaosgate::status
