#include "engine/preflight.h"

#include <gtest/gtest.h>

#include "support/fake_drivers.h"
#include "util/redact.h"

namespace chaosgate {

namespace {

Probe http_probe(const std::string& name, const std::string& url) {
  Probe probe;
  probe.name = name;
  probe.kind = ProbeKind::http;
  probe.http().url = url;
  return probe;
}

Probe prometheus_probe(const std::string& name, const std::string& url, const std::string& query) {
  Probe probe;
  probe.name = name;
  probe.kind = ProbeKind::prometheus;
  probe.prometheus().url = url;
  probe.prometheus().query = query;
  return probe;
}

}  // namespace

TEST(Preflight, EachEndpointIsAskedOnceAndAnUnreachableOneIsNamed) {
  Suite suite;
  Experiment a, b;
  a.steady_state = {http_probe("health", "http://127.0.0.1:8080/health"), http_probe("cart", "http://127.0.0.1:8080/cart")};
  b.observe = {http_probe("search", "http://127.0.0.1:9090/search")};
  test::FakeProbeDriver probes;
  probes.script("search", [](int) { return test::FakeProbeDriver::unreachable(); });
  const auto problems = preflight(suite, {&a, &b}, probes);
  EXPECT_EQ(probes.calls("health") + probes.calls("cart"), 1);  // one origin, asked once
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "http://127.0.0.1:9090 (probe search): connection refused");
}

// A signal while an endpoint is being checked (a blackholed monitoring host
// takes its whole connect timeout): the check is given up, the others are
// not made, and nothing is reported as a problem of the endpoints.
TEST(Preflight, ASignalEndsTheChecks) {
  Suite suite;
  Experiment a;
  a.observe = {http_probe("first", "http://10.255.255.1:9090/"), http_probe("second", "http://10.255.255.2:9090/"),
               http_probe("third", "http://10.255.255.3:9090/")};
  Cancellation signal;
  test::FakeProbeDriver probes;
  probes.script("first", [&](int) {
    signal.cancel("interrupted by SIGTERM");
    auto observation = test::FakeProbeDriver::unreachable();
    observation.error = "cut short: interrupted by SIGTERM";
    return observation;
  });
  const auto problems = preflight(suite, {&a}, probes, &signal);
  EXPECT_EQ(probes.last_stop(), &signal) << "the check in progress is given the stop";
  EXPECT_TRUE(problems.empty()) << problems.front();
  EXPECT_EQ(probes.calls("second") + probes.calls("third"), 0);
}

TEST(Preflight, PromqlWithoutDataIsAProblem) {
  Suite suite;
  Experiment a;
  a.observe = {prometheus_probe("errors", "http://127.0.0.1:9090", "sum(rate(errors[1m]))")};
  test::FakeProbeDriver probes;
  probes.script("errors", [](int) {
    auto observation = test::FakeProbeDriver::healthy();
    observation.value.reset();
    return observation;
  });
  const auto problems = preflight(suite, {&a}, probes);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "PromQL \"sum(rate(errors[1m]))\" on http://127.0.0.1:9090 (probe errors) returned no data");
}

// The problems go into every report as they are: credentials in an
// endpoint's URL (user-info) must not.
TEST(Preflight, CredentialsInAnEndpointAreRedacted) {
  Suite suite;
  Experiment a;
  a.steady_state = {http_probe("health", "http://admin:hunter2secret@127.0.0.1:1/health?access_token=t0kensecret")};
  a.observe = {prometheus_probe("errors", "https://monitor:pr0mpassword@prometheus.example", "up")};
  test::FakeProbeDriver probes;
  probes.script("health", [](int) { return test::FakeProbeDriver::unreachable(); });
  probes.script("errors", [](int) {
    auto observation = test::FakeProbeDriver::healthy();
    observation.value.reset();
    return observation;
  });
  const auto problems = preflight(suite, {&a}, probes);
  ASSERT_EQ(problems.size(), 2u);
  for (const auto& problem : problems) {
    EXPECT_EQ(problem.find("hunter2secret"), std::string::npos) << problem;
    EXPECT_EQ(problem.find("pr0mpassword"), std::string::npos) << problem;
  }
  EXPECT_EQ(problems[0], "http://***@127.0.0.1:1 (probe health): connection refused");
}

}  // namespace chaosgate
