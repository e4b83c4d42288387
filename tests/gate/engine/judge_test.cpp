#include "engine/judge.h"

#include <gtest/gtest.h>

namespace chaosgate {

namespace {
Probe http_probe() {
  Probe probe;
  probe.name = "p";
  probe.kind = ProbeKind::http;
  return probe;
}
Observation answered(long status, double latency_ms, std::string body = "") {
  Observation o;
  o.reached = true;
  o.status = status;
  o.latency_ms = latency_ms;
  o.body = std::move(body);
  return o;
}
}  // namespace

TEST(Judge, Percentiles) {
  EXPECT_EQ(percentile({}, 95), 0);
  EXPECT_EQ(percentile({7}, 50), 7);
  std::vector<double> hundred;
  for (int i = 1; i <= 100; ++i) hundred.push_back(i);
  EXPECT_EQ(percentile(hundred, 50), 50);
  EXPECT_EQ(percentile(hundred, 95), 95);
  EXPECT_EQ(percentile(hundred, 99), 99);
  EXPECT_EQ(percentile({5, 1, 4, 2, 3}, 50), 3);  // order does not matter
  EXPECT_EQ(percentile({1, 2, 3, 4, 1000}, 95), 1000);
}

TEST(Judge, HttpSampleChecksStatusBodyJsonAndLatency) {
  Probe probe = http_probe();
  probe.expect().status_codes = {200};
  probe.expect().body_contains = "ok";
  probe.expect().json.push_back({"/items/0/stock", "", parse_comparison(">= 1")});
  probe.expect().latency = parse_comparison("<= 500ms");
  const auto at = Clock::now();
  EXPECT_TRUE(judge_sample(probe, answered(200, 12, R"({"ok":1,"items":[{"stock":3}]})"), at).ok);
  EXPECT_EQ(judge_sample(probe, answered(503, 12, "ok"), at).observed, "status 503 (HTTP 503 in 12ms)");
  EXPECT_FALSE(judge_sample(probe, answered(200, 12, R"({"items":[{"stock":3}]})"), at).ok);  // body lacks "ok"
  EXPECT_EQ(judge_sample(probe, answered(200, 12, R"({"ok":1,"items":[{"stock":0}]})"), at).observed,
            "/items/0/stock is 0, expected >= 1 (HTTP 200 in 12ms)");
  EXPECT_EQ(judge_sample(probe, answered(200, 640, R"({"ok":1,"items":[{"stock":3}]})"), at).observed,
            "latency 640ms (HTTP 200 in 640ms)");
  Observation refused;
  refused.error = "connection refused";
  const auto sample = judge_sample(probe, refused, at);
  EXPECT_FALSE(sample.ok);
  EXPECT_FALSE(sample.reached);
  EXPECT_EQ(sample.observed, "connection refused");
  EXPECT_EQ(describe_expectation(probe), "status 200, body contains \"ok\", /items/0/stock >= 1, latency <= 500ms");
}

TEST(Judge, DefaultStatusIsAnySuccessAndRangesWork) {
  Probe probe = http_probe();
  EXPECT_TRUE(judge_sample(probe, answered(204, 1), Clock::now()).ok);
  EXPECT_FALSE(judge_sample(probe, answered(302, 1), Clock::now()).ok);
  probe.expect().status_range = std::make_pair(400, 499);
  EXPECT_TRUE(judge_sample(probe, answered(422, 1), Clock::now()).ok);
  EXPECT_FALSE(judge_sample(probe, answered(500, 1), Clock::now()).ok);
}

TEST(Judge, PrometheusEmptyResultIsNotAPass) {
  Probe probe;
  probe.name = "errors";
  probe.kind = ProbeKind::prometheus;
  probe.expect().value = parse_comparison("< 0.05");
  Observation empty;
  empty.reached = true;
  EXPECT_FALSE(judge_sample(probe, empty, Clock::now()).ok);
  EXPECT_EQ(judge_sample(probe, empty, Clock::now()).observed, "query returned no data");
  Observation value = empty;
  value.value = 0.01;
  EXPECT_TRUE(judge_sample(probe, value, Clock::now()).ok);
  value.value = 0.2;
  EXPECT_EQ(judge_sample(probe, value, Clock::now()).observed, "value 0.2");
}

TEST(Judge, CommandExitCodeAndOutput) {
  Probe probe;
  probe.name = "cli";
  probe.kind = ProbeKind::command;
  probe.expect().body_contains = "PONG";
  Observation o;
  o.reached = true;
  o.exit_code = 0;
  o.body = "PONG\n";
  EXPECT_TRUE(judge_sample(probe, o, Clock::now()).ok);
  o.body = "LOADING";
  EXPECT_EQ(judge_sample(probe, o, Clock::now()).observed.substr(0, 25), "output lacks \"PONG\" (exit");
  o.exit_code = 1;
  EXPECT_FALSE(judge_sample(probe, o, Clock::now()).ok);
}

TEST(Judge, WindowRatioAndLatencyPercentiles) {
  Probe probe = http_probe();
  probe.every = Millis(100);
  probe.tolerance().success_ratio = *parse_comparison(">= 0.95");
  probe.tolerance().latency_p95 = parse_comparison("<= 800ms");
  std::vector<ProbeSample> samples;
  for (int i = 0; i < 100; ++i) samples.push_back(judge_sample(probe, answered(200, i < 90 ? 20 : 1240), Clock::now()));
  auto judgement = judge_window(probe, samples);
  EXPECT_FALSE(judgement.ok);
  EXPECT_EQ(judgement.expected, "success ratio >= 0.95, p95 <= 800ms");
  EXPECT_EQ(judgement.observed, "p95 1240ms");

  for (int i = 0; i < 10; ++i) samples[static_cast<std::size_t>(i)] = judge_sample(probe, answered(503, 5), Clock::now());
  judgement = judge_window(probe, samples);
  EXPECT_EQ(judgement.observed, "success ratio 0.9 (90/100), p95 1240ms");

  EXPECT_FALSE(judge_window(probe, {}).ok);
  EXPECT_EQ(judge_window(probe, {}).observed, "no samples taken");
}

TEST(Judge, UnreachedSamplesCountAgainstTheRatioNotTheLatency) {
  Probe probe = http_probe();
  probe.every = Millis(100);
  probe.tolerance().success_ratio = *parse_comparison(">= 0.5");
  probe.tolerance().latency_p99 = parse_comparison("<= 100ms");
  Observation refused;
  refused.error = "connection refused";
  std::vector<ProbeSample> samples = {judge_sample(probe, answered(200, 10), Clock::now()),
                                      judge_sample(probe, refused, Clock::now())};
  const auto judgement = judge_window(probe, samples);
  EXPECT_TRUE(judgement.ok) << judgement.observed;
  EXPECT_EQ(judgement.observed, "success ratio 0.5 (1/2), p99 10ms");
}

}  // namespace chaosgate
