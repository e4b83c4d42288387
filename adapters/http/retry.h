#pragma once
// Retrying a request to a server we report to (Jira, GitLab, GitHub): these
// calls come after the experiments ran, so a brief outage of the tracker must
// not lose a ticket or a status. Retried: transport failures (connect,
// timeout, resolve), 429 (waiting as long as Retry-After says, in seconds or
// as an HTTP date) and 502/503/504, with exponential back-off and full jitter,
// bounded both in attempts and in total time. Everything else (2xx, 3xx,
// other 4xx, 500) is returned at once: retrying a 400 cannot help.
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "http/http_client.h"

namespace chaosgate::http {

struct RetryPolicy {
  int max_attempts = 5;                            // including the first
  std::chrono::milliseconds base_delay{500};       // before attempt 2; doubles each time
  std::chrono::milliseconds max_delay{8000};       // one back-off never waits longer...
  std::chrono::milliseconds max_total{60000};      // ...and all waits together stay under this
  // When given and cancelled (the gate interrupted): no further wait or
  // attempt, the last result returned at once; a wait in progress ends, and
  // so does a transfer in flight (the request's own stop, if it has one,
  // does that instead). This is the only stop the retries look at; a
  // tracker, which must send nothing after a signal, passes the same
  // Cancellation as the requests' stop too (cut even before they start). A
  // commit status sets only this one: after a signal it still gets one
  // attempt...
  const Cancellation* give_up = nullptr;
  // ...but not its usual timeout: an attempt started once give_up is
  // cancelled waits at most this long, since the runner's SIGKILL may follow
  // its SIGTERM within seconds (GitHub Actions: 10 s after the SIGINT).
  std::chrono::milliseconds last_attempt_timeout{3000};
};

// Waits; tests pass one that records instead of sleeping.
using Sleeper = std::function<void(std::chrono::milliseconds)>;

// True for a response or failure that a later attempt may not get. A POST
// is not idempotent: after a timeout or a dropped connection the server may
// have created the issue already, so only failures that prove it did not see
// the request (resolve, connect, 429, 502/503/504) are retried; the caller's
// outbox re-checks for the ticket before sending the create again.
bool is_retryable(const Result& result, const std::string& method = "GET");

// True when the same request may well succeed later: what a retry would be
// tried for on an idempotent request, or a request given up (cancelled) when
// the gate was interrupted. A tracker queues such a change in its outbox
// (TrackerUnavailable) instead of failing it.
bool may_succeed_later(const Result& result);

// The wait a 429/503 asks for: Retry-After as delta-seconds or an HTTP date
// (relative to `now`); nullopt when absent or unparsable.
std::optional<std::chrono::milliseconds> retry_after(const Response& response,
                                                     std::chrono::system_clock::time_point now =
                                                         std::chrono::system_clock::now());

// Sends `request`, retrying as described above. Returns the last result: a
// success, a non-retryable response, or the last retryable one when attempts
// or time ran out, or when `policy.give_up` was cancelled (a wait in
// progress ends at once). A Retry-After longer than what is left of max_total
// is not waited for: the result is returned instead.
Result send_with_retry(HttpClient& client, const Request& request, const RetryPolicy& policy = {},
                       const Sleeper& sleep = {});

}  // namespace chaosgate::http
