#include "http/retry.h"

#include <gtest/gtest.h>

#include <deque>
#include <thread>

#include "support/cancel_after.h"
#include "support/test_http_server.h"

namespace chaosgate::http {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

Response response(long status, std::vector<std::pair<std::string, std::string>> headers = {}) {
  Response r;
  r.status = status;
  r.headers = std::move(headers);
  return r;
}

struct Waits {
  std::vector<milliseconds> waits;
  Sleeper sleeper() {
    return [this](milliseconds ms) { waits.push_back(ms); };
  }
};

TEST(RetryAfter, SecondsAndHttpDatesAreWaits) {
  const auto now = std::chrono::system_clock::from_time_t(1445412480);  // Wed, 21 Oct 2015 07:28:00 GMT
  EXPECT_EQ(retry_after(response(429, {{"retry-after", "7"}}), now), milliseconds(7000));
  EXPECT_EQ(retry_after(response(429, {{"retry-after", " 0 "}}), now), milliseconds(0));
  EXPECT_EQ(retry_after(response(503, {{"retry-after", "Wed, 21 Oct 2015 07:28:30 GMT"}}), now), milliseconds(30000));
  EXPECT_EQ(retry_after(response(503, {{"retry-after", "Wed, 21 Oct 2015 07:27:00 GMT"}}), now), milliseconds(0))
      << "a date in the past means now";
  EXPECT_FALSE(retry_after(response(429), now).has_value());
  EXPECT_FALSE(retry_after(response(429, {{"retry-after", "soon"}}), now).has_value());
}

TEST(IsRetryable, OnlyWhatALaterAttemptMayNotGet) {
  for (const long status : {429L, 502L, 503L, 504L}) EXPECT_TRUE(is_retryable(response(status))) << status;
  for (const long status : {200L, 201L, 204L, 301L, 400L, 401L, 403L, 404L, 409L, 422L, 500L})
    EXPECT_FALSE(is_retryable(response(status))) << status;
  EXPECT_TRUE(is_retryable(Failure{FailureKind::connect, "refused"}));
  EXPECT_TRUE(is_retryable(Failure{FailureKind::timeout, "timed out"}));
  EXPECT_FALSE(is_retryable(Failure{FailureKind::tls, "certificate"}));
  EXPECT_TRUE(is_retryable(Failure{FailureKind::connect, "refused"}, "POST")) << "never reached the server";
  EXPECT_FALSE(is_retryable(Failure{FailureKind::timeout, "timed out"}, "POST")) << "the issue may exist already";
  EXPECT_FALSE(is_retryable(Failure{FailureKind::other, "connection reset"}, "POST"));
  EXPECT_TRUE(is_retryable(Failure{FailureKind::timeout, "timed out"}, "PUT"));
  EXPECT_FALSE(is_retryable(Failure{FailureKind::bad_request, "bad URL"}));
}

// Against a real server on 127.0.0.1 that answers from a script.
class SendWithRetryTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_server.on("GET", "/x", [this](const httplib::Request&, httplib::Response& res) {
      const long status = m_script.empty() ? 200 : m_script.front().first;
      const std::string retry_after = m_script.empty() ? "" : m_script.front().second;
      if (!m_script.empty()) m_script.pop_front();
      res.status = static_cast<int>(status);
      if (!retry_after.empty()) res.set_header("Retry-After", retry_after);
      res.set_content("{}", "application/json");
    });
    m_server.on("GET", "/slow", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(std::chrono::seconds(2));
      res.set_content("{}", "application/json");
    });
    m_server.start();
  }
  Result send(const RetryPolicy& policy) {
    Request request;
    request.url = m_server.url("/x");
    return send_with_retry(*m_client, request, policy, m_waits.sleeper());
  }
  long status(const Result& result) { return std::get<Response>(result).status; }

  test::TestHttpServer m_server;
  std::unique_ptr<HttpClient> m_client = make_curl_client();
  std::deque<std::pair<long, std::string>> m_script;
  Waits m_waits;
};

TEST_F(SendWithRetryTest, HonoursRetryAfterThenSucceeds) {
  m_script = {{429, "2"}, {503, ""}};
  const auto result = send({});
  EXPECT_EQ(status(result), 200);
  EXPECT_EQ(m_server.requests().size(), 3u);
  ASSERT_EQ(m_waits.waits.size(), 2u);
  EXPECT_EQ(m_waits.waits[0], milliseconds(2000)) << "Retry-After wins over the back-off";
  EXPECT_GE(m_waits.waits[1], milliseconds(500));  // second back-off step: 1000 ms with equal jitter
  EXPECT_LE(m_waits.waits[1], milliseconds(1000));
}

TEST_F(SendWithRetryTest, BackOffGrowsAndAttemptsAreBounded) {
  m_script = {{503, ""}, {503, ""}, {503, ""}, {503, ""}, {503, ""}, {503, ""}};
  RetryPolicy policy;
  policy.max_attempts = 4;
  policy.base_delay = milliseconds(100);
  const auto result = send(policy);
  EXPECT_EQ(status(result), 503) << "the last answer is returned";
  EXPECT_EQ(m_server.requests().size(), 4u);
  ASSERT_EQ(m_waits.waits.size(), 3u);
  const long long steps[] = {100, 200, 400};
  for (int i = 0; i < 3; ++i) {
    EXPECT_GE(m_waits.waits[i].count(), steps[i] / 2) << i;
    EXPECT_LE(m_waits.waits[i].count(), steps[i]) << i;
  }
}

TEST_F(SendWithRetryTest, ARetryAfterBeyondTheTotalBudgetIsNotWaitedFor) {
  m_script = {{429, "3600"}};
  RetryPolicy policy;
  policy.max_total = seconds(60);
  EXPECT_EQ(status(send(policy)), 429);
  EXPECT_TRUE(m_waits.waits.empty());
  EXPECT_EQ(m_server.requests().size(), 1u);
}

TEST_F(SendWithRetryTest, AClientErrorIsNotRetried) {
  m_script = {{400, ""}};
  EXPECT_EQ(status(send({})), 400);
  EXPECT_EQ(m_server.requests().size(), 1u);
  EXPECT_TRUE(m_waits.waits.empty());
}

// The gate interrupted during a back-off: a real wait (no test sleeper) ends
// at once and nothing more is sent; the last answer is returned.
TEST_F(SendWithRetryTest, GivingUpEndsARealWaitAtOnce) {
  m_script = {{503, "30"}, {503, "30"}};
  Cancellation signal;
  RetryPolicy policy;
  policy.give_up = &signal;
  Request request;
  request.url = m_server.url("/x");
  const auto started = std::chrono::steady_clock::now();
  Result result;
  {
    test::CancelAfter cancel(signal, milliseconds(200), "interrupted by SIGTERM");
    result = send_with_retry(*m_client, request, policy);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, seconds(3)) << "Retry-After: 30 was waited out";
  EXPECT_EQ(status(result), 503);
  EXPECT_EQ(m_server.requests().size(), 1u) << "no attempt after the signal";
}

// Request::stop only cuts a transfer; the retries end on give_up alone (a
// tracker passes its signal to both), so one Cancellation decides them.
TEST_F(SendWithRetryTest, OnlyGiveUpEndsTheRetries) {
  m_script = {{503, ""}, {503, ""}, {200, ""}};
  Cancellation stop;
  Request request;
  request.url = m_server.url("/x");
  request.stop = &stop;
  bool stop_cancelled_while_waiting = false;
  const Sleeper cancel_request_stop = [&](milliseconds wait) {
    m_waits.waits.push_back(wait);
    stop_cancelled_while_waiting = true;
    stop.cancel("interrupted by SIGINT");
  };
  const Result result = send_with_retry(*m_client, request, {}, cancel_request_stop);
  ASSERT_TRUE(stop_cancelled_while_waiting);
  ASSERT_TRUE(std::holds_alternative<Failure>(result)) << "the next transfer was cut";
  EXPECT_EQ(std::get<Failure>(result).kind, FailureKind::cancelled);
  EXPECT_EQ(m_waits.waits.size(), 1u) << "a cut transfer is not retried";

  m_waits.waits.clear();
  RetryPolicy policy;
  policy.give_up = &stop;
  Request plain;
  plain.url = m_server.url("/x");
  EXPECT_EQ(status(send_with_retry(*m_client, plain, policy, m_waits.sleeper())), 503) << "given up: one attempt";
  EXPECT_TRUE(m_waits.waits.empty());
}

// A status request in flight when the gate is interrupted is cut: the exit
// does not wait for its timeout.
TEST_F(SendWithRetryTest, GivingUpCutsATransferInFlight) {
  Cancellation signal;
  RetryPolicy policy;
  policy.give_up = &signal;
  Request request;
  request.url = m_server.url("/slow");
  request.timeout = seconds(30);
  const auto started = std::chrono::steady_clock::now();
  Result result;
  {
    test::CancelAfter cancel(signal, milliseconds(200), "interrupted by SIGTERM");
    result = send_with_retry(*m_client, request, policy, m_waits.sleeper());
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(1500)) << "the transfer was not cut";
  ASSERT_TRUE(std::holds_alternative<Failure>(result));
  EXPECT_EQ(std::get<Failure>(result).kind, FailureKind::cancelled);
  EXPECT_EQ(m_server.requests().size(), 1u);
}

// The one attempt made after a signal is not held for the usual timeout: the
// runner's SIGKILL may be seconds away.
TEST_F(SendWithRetryTest, AnAttemptAfterGivingUpHasAShortTimeout) {
  Cancellation signal;
  signal.cancel("interrupted by SIGTERM");
  RetryPolicy policy;
  policy.give_up = &signal;
  policy.last_attempt_timeout = milliseconds(300);
  Request request;
  request.url = m_server.url("/slow");
  request.timeout = seconds(30);
  const auto started = std::chrono::steady_clock::now();
  const Result result = send_with_retry(*m_client, request, policy, m_waits.sleeper());
  EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(1500)) << "the 30 s timeout was used";
  ASSERT_TRUE(std::holds_alternative<Failure>(result));
  EXPECT_EQ(std::get<Failure>(result).kind, FailureKind::timeout);
  EXPECT_TRUE(m_waits.waits.empty());
}

// A commit status after a signal still gets its one attempt.
TEST_F(SendWithRetryTest, GivenUpBeforehandStillSendsOnce) {
  m_script = {{503, ""}, {503, ""}};
  Cancellation signal;
  signal.cancel("interrupted by SIGTERM");
  RetryPolicy policy;
  policy.give_up = &signal;
  EXPECT_EQ(status(send(policy)), 503);
  EXPECT_EQ(m_server.requests().size(), 1u);
  EXPECT_TRUE(m_waits.waits.empty());
}

TEST(SendWithRetry, ARefusedConnectionIsRetriedThenReturned) {
  auto client = make_curl_client();
  Request request;
  request.url = "http://127.0.0.1:" + std::to_string(test::closed_port()) + "/x";
  Waits waits;
  RetryPolicy policy;
  policy.max_attempts = 3;
  policy.base_delay = milliseconds(10);
  const auto result = send_with_retry(*client, request, policy, waits.sleeper());
  ASSERT_TRUE(std::holds_alternative<Failure>(result));
  EXPECT_EQ(std::get<Failure>(result).kind, FailureKind::connect);
  EXPECT_EQ(waits.waits.size(), 2u);
}

}  // namespace
}  // namespace chaosgate::http
