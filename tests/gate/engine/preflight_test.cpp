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

// Gives back every experiment but the one at `unreadable`, as a spool whose
// record is damaged would.
class ShelfWithAHole final : public ExperimentShelf {
public:
  ShelfWithAHole(std::vector<const Experiment*> experiments, std::size_t unreadable)
      : m_experiments(std::move(experiments)), m_unreadable(unreadable) {}
  std::size_t size() const override { return m_experiments.size(); }
  const Experiment& get(std::size_t position, std::optional<Experiment>&) const override {
    if (position == m_unreadable) throw std::runtime_error("cannot read the experiments' spool: Input/output error");
    return *m_experiments.at(position);
  }

private:
  std::vector<const Experiment*> m_experiments;
  std::size_t m_unreadable;
};

}  // namespace

TEST(Preflight, EachEndpointIsAskedOnceAndAnUnreachableOneIsNamed) {
  Suite suite;
  Experiment a, b;
  a.steady_state = {http_probe("health", "http://127.0.0.1:8080/health"), http_probe("cart", "http://127.0.0.1:8080/cart")};
  b.observe = {http_probe("search", "http://127.0.0.1:9090/search")};
  test::FakeProbeDriver probes;
  probes.script("search", [](int) { return test::FakeProbeDriver::unreachable(); });
  const auto problems = preflight(suite, ExperimentsInMemory({&a, &b}), probes);
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
  const auto problems = preflight(suite, ExperimentsInMemory({&a}), probes, &signal);
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
  const auto problems = preflight(suite, ExperimentsInMemory({&a}), probes);
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
  const auto problems = preflight(suite, ExperimentsInMemory({&a}), probes);
  ASSERT_EQ(problems.size(), 2u);
  for (const auto& problem : problems) {
    EXPECT_EQ(problem.find("hunter2secret"), std::string::npos) << problem;
    EXPECT_EQ(problem.find("pr0mpassword"), std::string::npos) << problem;
  }
  EXPECT_EQ(problems[0], "http://***@127.0.0.1:1 (probe health): connection refused");
}

// Preflight reads each experiment back from the run's spool: one that cannot
// be is a problem (nothing is injected), and the others are still checked.
TEST(Preflight, AnExperimentThatCannotBeReadBackIsAProblem) {
  Suite suite;
  Experiment a, b, c;
  a.steady_state = {http_probe("a", "http://127.0.0.1:8080/")};
  b.steady_state = {http_probe("b", "http://127.0.0.1:8081/")};
  c.steady_state = {http_probe("c", "http://127.0.0.1:8082/")};
  test::FakeProbeDriver probes;
  const auto problems = preflight(suite, ShelfWithAHole({&a, &b, &c}, 1), probes);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "experiment 2 of the run's order could not be read back: cannot read the experiments' spool: Input/output error");
  EXPECT_EQ(probes.calls("a") + probes.calls("c"), 2);
  EXPECT_EQ(probes.calls("b"), 0);
}

}  // namespace chaosgate
