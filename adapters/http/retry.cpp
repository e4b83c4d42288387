#include "http/retry.h"

#include <algorithm>
#include <cctype>
#include <random>
#include <thread>

namespace chaosgate::http {

using std::chrono::milliseconds;

bool is_retryable(const Result& result, const std::string& method) {
  if (const auto* failure = std::get_if<Failure>(&result)) {
    if (failure->kind == FailureKind::connect || failure->kind == FailureKind::resolve) return true;
    const bool idempotent = method != "POST" && method != "PATCH";
    return idempotent && (failure->kind == FailureKind::timeout || failure->kind == FailureKind::other);
  }
  const long status = std::get<Response>(result).status;
  return status == 429 || status == 502 || status == 503 || status == 504;
}

bool may_succeed_later(const Result& result) {
  const auto* failure = std::get_if<Failure>(&result);
  return is_retryable(result) || (failure && failure->kind == FailureKind::cancelled);
}

std::optional<milliseconds> retry_after(const Response& response, std::chrono::system_clock::time_point now) {
  const auto value = response.header("retry-after");
  if (!value) return std::nullopt;
  std::string text = *value;
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.erase(0, 1);
  if (text.empty()) return std::nullopt;
  if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
    if (text.size() > 9) return milliseconds(999999999LL * 1000);  // absurd, but a wait, not a parse error
    return milliseconds(std::stoll(text) * 1000);
  }
  // An HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT").
  const auto when = parse_http_date(text);
  if (!when) return std::nullopt;
  const auto wait = std::chrono::system_clock::from_time_t(*when) - now;
  return std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(wait));
}

namespace {

// Exponential back-off with "equal jitter": half the step is fixed, half
// random, so two gates retrying together spread out but never hammer at once.
milliseconds backoff(const RetryPolicy& policy, int retry_index, std::mt19937_64& random) {
  long long step = policy.base_delay.count();
  for (int i = 0; i < retry_index && step < policy.max_delay.count(); ++i) step *= 2;
  step = std::min<long long>(step, policy.max_delay.count());
  std::uniform_int_distribution<long long> jitter(0, step / 2);
  return milliseconds(step - step / 2 + jitter(random));
}

bool given_up(const RetryPolicy& policy) { return policy.give_up && policy.give_up->cancelled(); }

// Sends once. Before give_up is cancelled, the transfer carries it as its
// stop (when it has none of its own), so the signal cuts it; once it is
// cancelled, the one attempt left has the short timeout. The request is
// copied only when it changes.
Result send_once(HttpClient& client, const Request& request, const RetryPolicy& policy) {
  if (!policy.give_up || request.stop) return client.send(request);
  Request attempt = request;
  if (given_up(policy)) {
    attempt.timeout = std::min(attempt.timeout, policy.last_attempt_timeout);
    attempt.connect_timeout = std::min(attempt.connect_timeout, attempt.timeout);
  } else {
    attempt.stop = policy.give_up;
  }
  return client.send(attempt);
}

}  // namespace

Result send_with_retry(HttpClient& client, const Request& request, const RetryPolicy& policy, const Sleeper& sleep) {
  // The real wait wakes when the policy is given up; a test's sleeper
  // returns at once and give_up is looked at after it.
  const Sleeper wait = sleep ? sleep : [&policy](milliseconds ms) {
    if (policy.give_up) {
      policy.give_up->sleep_until(std::chrono::steady_clock::now() + ms);
    } else {
      std::this_thread::sleep_for(ms);
    }
  };
  std::mt19937_64 random{std::random_device{}()};
  milliseconds waited{0};
  Result result = send_once(client, request, policy);
  for (int attempt = 1; attempt < policy.max_attempts && is_retryable(result, request.method); ++attempt) {
    milliseconds delay = backoff(policy, attempt - 1, random);
    if (const auto* response = std::get_if<Response>(&result)) {
      if (const auto asked = retry_after(*response)) delay = *asked;
    }
    if (waited + delay > policy.max_total || given_up(policy)) break;
    wait(delay);
    waited += delay;
    if (given_up(policy)) break;
    result = send_once(client, request, policy);
  }
  return result;
}

}  // namespace chaosgate::http
