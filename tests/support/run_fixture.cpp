#include "support/run_fixture.h"

#include <utility>

namespace chaosgate::test {

namespace {

using std::chrono::milliseconds;

constexpr const char* k_suite_name = "shop-resilience";

ProbeSample sample(long long at_ms, bool ok, double latency_ms, std::string observed) {
  ProbeSample s;
  s.at = fixture_time(at_ms);
  s.ok = ok;
  s.reached = observed != "connection refused";
  s.value = latency_ms;
  s.latency_ms = latency_ms;
  s.observed = std::move(observed);
  return s;
}

ProbeResult probe(std::string name, Phase phase, bool ok, std::string expected, std::string observed, long long started_ms,
                  std::vector<ProbeSample> samples = {}) {
  ProbeResult p;
  p.probe = std::move(name);
  p.phase = phase;
  p.ok = ok;
  p.expected = std::move(expected);
  p.observed = std::move(observed);
  p.samples = std::move(samples);
  p.started = fixture_time(started_ms);
  p.duration = milliseconds(250);
  return p;
}

ActionRecord action(std::string name, bool rollback, bool ok, std::string detail, long long started_ms) {
  ActionRecord a;
  a.action = std::move(name);
  a.rollback = rollback;
  a.ok = ok;
  a.detail = std::move(detail);
  a.started = fixture_time(started_ms);
  a.duration = milliseconds(40);
  return a;
}

Attempt attempt(int number, Verdict verdict, std::string reason, long long started_ms, std::vector<ProbeResult> probes,
                std::vector<ActionRecord> actions) {
  Attempt a;
  a.number = number;
  a.verdict = verdict;
  a.reason = std::move(reason);
  a.probes = std::move(probes);
  a.actions = std::move(actions);
  a.started = fixture_time(started_ms);
  a.duration = milliseconds(5000);
  return a;
}

ExperimentInfo info(std::string id, std::string title, std::string owner, std::string service, RiskLevel risk, int likelihood,
                    int impact, AttackGroup group, int line) {
  ExperimentInfo e;
  e.id = std::move(id);
  e.title = std::move(title);
  e.owner = std::move(owner);
  e.service = std::move(service);
  e.targets = {e.service + "-api"};
  e.hypothesis = "The " + e.service + " service keeps its steady state during the fault.";
  e.incident_category = "dependency-outage";
  e.incident_category_title = "Dependency outage";
  e.attack_group = group;
  e.preparation_cost = PreparationCost::medium;
  e.status = LifecycleStatus::promoted;
  e.likelihood = likelihood;
  e.impact = impact;
  e.risk_level = risk;
  e.tags = {e.service};
  e.location = {k_fixture_suite_file, line, 5};
  e.definition_digest = "sha256:" + std::string(64, 'd');
  return e;
}

ExperimentResult result(ExperimentInfo e, Verdict verdict, std::string reason, long long started_ms, long long duration_ms) {
  ExperimentResult r;
  r.experiment = std::move(e);
  r.verdict = verdict;
  r.reason = std::move(reason);
  r.started = fixture_time(started_ms);
  r.duration = milliseconds(duration_ms);
  return r;
}

ExperimentResult passed_experiment() {
  auto r = result(info(fixture_id::passed, "Checkout tolerates 300ms payment latency", "team-payments", "checkout",
                       RiskLevel::medium, 3, 2, AttackGroup::network, 12),
                  Verdict::passed, "", 1'000, 8'000);
  r.attempts = {attempt(1, Verdict::passed, "", 1'000,
                        {probe("checkout-ok", Phase::before, true, "status 200", "status 200 after 31 ms", 1'000),
                         probe("checkout-during-latency", Phase::during, true, "success ratio >= 0.95",
                               "success ratio 1.00 (3/3), p95 412ms", 2'000,
                               {sample(2'000, true, 380, "HTTP 200"), sample(2'500, true, 412, "HTTP 200"),
                                sample(3'000, true, 395, "HTTP 200")})},
                        {action("add-payment-latency", false, true, "exit 0", 1'500),
                         action("remove-payment-latency", true, true, "exit 0", 6'000)})};
  return r;
}

ExperimentResult flaky_experiment() {
  auto r = result(info(fixture_id::flaky, "Search answers while the index restarts", "team-search", "search",
                       RiskLevel::medium, 2, 3, AttackGroup::application, 61),
                  Verdict::flaky, "passed on attempt 2 of 2", 30'000, 9'876);
  r.fingerprint = regression_fingerprint(k_suite_name, fixture_id::flaky, "search-p95");
  r.attempts = {attempt(1, Verdict::failed, "search-p95: p95 1240ms, expected <= 800ms", 30'000,
                        {probe("search-p95", Phase::during, false, "p95 <= 800ms", "p95 1240ms", 30'500,
                               {sample(30'500, true, 700, "HTTP 200"), sample(31'000, false, 1240, "HTTP 200"),
                                sample(31'500, false, 0, "connection refused")})},
                        {action("restart-index", false, true, "exit 0", 30'100),
                         action("wait-for-index", true, true, "exit 0", 33'000)}),
                attempt(2, Verdict::passed, "", 36'000,
                        {probe("search-p95", Phase::during, true, "p95 <= 800ms", "p95 640ms", 36'500,
                               {sample(36'500, true, 600, "HTTP 200"), sample(37'000, true, 640, "HTTP 200")})},
                        {action("restart-index", false, true, "exit 0", 36'100),
                         action("wait-for-index", true, true, "exit 0", 39'000)})};
  return r;
}

ExperimentResult error_experiment() {
  auto r = result(info(fixture_id::error, "Cart survives a database failover", "team-cart", "cart", RiskLevel::critical, 5, 5,
                       AttackGroup::dependency, 80),
                  Verdict::error, "action failover-db failed: HTTP 500 from admin API", 42'000, 1'500);
  r.fingerprint = regression_fingerprint(k_suite_name, fixture_id::error, "");
  r.attempts = {attempt(1, Verdict::error, r.reason, 42'000, {probe("cart-ok", Phase::before, true, "status 200", "status 200", 42'000)},
                        {action("failover-db", false, false, "HTTP 500 from admin API", 42'300),
                         action("cleanup", true, true, "nothing to undo", 42'600)})};
  return r;
}

ExperimentResult skipped_experiment() {
  return result(info(fixture_id::skipped, "Checkout retries when DNS fails", "team-payments", "checkout", RiskLevel::low, 1, 2,
                     AttackGroup::network, 101),
                Verdict::skipped, "target dns-resolver is not available in staging", 44'000, 0);
}

ExperimentResult aborted_experiment() {
  auto r = result(info(fixture_id::aborted, "Inventory keeps up under a CPU hog", "team-inventory", "inventory", RiskLevel::low,
                       2, 2, AttackGroup::resource, 120),
                  Verdict::aborted, "stop condition error-budget tripped: error ratio 0.12 > 0.05", 45'000, 4'200);
  r.fingerprint = regression_fingerprint(k_suite_name, fixture_id::aborted, "");
  r.attempts = {attempt(1, Verdict::aborted, r.reason, 45'000,
                        {probe("error-budget", Phase::stop_condition, false, "error ratio <= 0.05", "error ratio 0.12", 47'000,
                               {sample(46'000, true, 0.01, "0.01"), sample(47'000, false, 0.12, "0.12")})},
                        {action("hog-cpu", false, true, "stress-ng pid 5151", 45'100),
                         action("stop-cpu-hog", true, true, "SIGTERM -> pid 5151", 47'100)})};
  return r;
}

// `text` with hostile content in front (ids stay distinct) or, when `big`, 1 MiB of it.
void make_hostile(std::string& text, bool big = false) { text = big ? megabyte_hostile_text() : hostile_text() + text; }

}  // namespace

TimePoint fixture_time(long long offset_ms) { return parse_time("2026-11-25T07:12:03.123Z") + milliseconds(offset_ms); }

ExperimentResult failed_experiment(const std::string& id, RiskLevel risk) {
  auto r = result(info(id, "Cart keeps serving reads while Redis is paused", "team-cart", "cart", risk, 4, 4, AttackGroup::state, 42),
                  Verdict::failed, "cart-reads-during-stall: success ratio 0.71, expected >= 0.95", 10'000, 12'345);
  ExperimentInfo& e = r.experiment;
  e.targets = {"redis-cart", "cart-api"};
  e.hypothesis = "When Redis is paused for 30s, cart reads keep a success ratio of at least 95%.";
  e.incident_category = "cache-outage";
  e.incident_category_title = "Cache outage";
  e.incidents = {"INC-2041", "INC-2107"};
  e.tags = {"redis", "cache", "tier-1"};
  e.follow_up = {{"Add a circuit breaker around Redis reads", "Fall back to the database when Redis does not answer in 50ms."},
                 {"Alert on cart read errors", ""}};
  r.deviated_probe = "cart-reads-during-stall";
  r.expected = "success ratio >= 0.95, p95 <= 800ms";
  r.observed = "success ratio 0.71 (71/100), p95 1240ms";
  r.fingerprint = regression_fingerprint(k_suite_name, id, r.deviated_probe);
  r.attempts = {attempt(1, Verdict::failed, r.reason, 10'000,
                        {probe("cart-ok", Phase::before, true, "status 200", "status 200 after 12 ms", 10'000),
                         probe(r.deviated_probe, Phase::during, false, r.expected, r.observed, 11'000,
                               {sample(11'000, true, 35, "HTTP 200"), sample(11'500, false, 1240, "HTTP 503"),
                                sample(12'000, false, 0, "connection refused"), sample(12'500, true, 41, "HTTP 200")}),
                         probe("cart-ok", Phase::after, true, "status 200", "status 200 after 14 ms", 21'000)},
                        {action("pause-redis", false, true, "SIGSTOP -> pid 4242", 10'500),
                         action("resume-redis", true, true, "SIGCONT -> pid 4242", 20'500)})};
  return r;
}

RunResult representative_run() {
  RunResult run;
  run.run_id = "run-20261125-071203-ab12";
  run.tool_version = "0.1.0";
  run.suite_name = k_suite_name;
  run.suite_version = "1.4.0";
  run.suite_digest = "sha256:" + std::string(64, 'a');
  run.suite_files = {k_fixture_suite_file};
  run.environment = "staging";
  run.command_line = "chaosgate run --suite 'suites/my suite.yaml' --env staging";
  run.ci.system = "gitlab";
  run.ci.values = {{"commit", "9fceb02d0ae598e95dc970b74767f19372d61af8"},
                   {"ref", "main"},
                   {"mr", "412"},
                   {"project", "shop/shop"},
                   {"pipeline_url", "https://gitlab.example.com/shop/shop/-/pipelines/9001"},
                   {"job_url", "https://gitlab.example.com/shop/shop/-/jobs/77001"}};
  run.started = fixture_time(0);
  run.finished = fixture_time(60'000);
  run.experiments = {passed_experiment(),  failed_experiment(fixture_id::failed, RiskLevel::high),
                     flaky_experiment(),   error_experiment(),
                     skipped_experiment(), aborted_experiment()};
  run.gate = "failed";
  run.gate_reason = std::string("1 regression: ") + fixture_id::failed;
  run.exit_code = 1;
  return run;
}

RunResult run_with_experiments(std::size_t count) {
  RunResult run = representative_run();
  run.experiments.clear();
  run.experiments.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const bool failed = i % 7 == 0;
    auto r = result(info("exp-" + std::to_string(i), "Experiment " + std::to_string(i), "team-" + std::to_string(i % 3),
                         "svc-" + std::to_string(i % 5), failed ? RiskLevel::high : RiskLevel::low, 2, 3, AttackGroup::network,
                         static_cast<int>(i) + 1),
                    failed ? Verdict::failed : Verdict::passed, failed ? "probe p deviated" : "", 0, 1'000);
    if (failed) {
      r.deviated_probe = "p";
      r.expected = "status 200";
      r.observed = "status 503";
    }
    run.experiments.push_back(std::move(r));
  }
  return run;
}

std::string hostile_text() {
  // String literals split after hex escapes: "\x01" "c" is two characters, "\x01c" one.
  return "ctl\x01" "esc\x1b" "[31m ]]> <script>alert(1)</script> bad\xff\xfe [x](javascript:alert(1)) a|b *em* `code` @all ";
}

std::string megabyte_hostile_text() {
  const std::string unit = hostile_text() + "\xC3\xBC \xE2\x82\xAC \xF0\x9F\x98\x80 \r\n\t";  // ü € 😀
  std::string out;
  out.reserve((1u << 20) + unit.size());
  while (out.size() < (1u << 20)) out += unit;
  out.resize(1u << 20);
  return out;
}

RunResult hostile_run() {
  RunResult run = representative_run();
  for (std::string* field : {&run.suite_name, &run.suite_version, &run.environment, &run.run_id, &run.shard, &run.gate_reason})
    make_hostile(*field);
  make_hostile(run.command_line, true);
  for (auto& [key, value] : run.ci.values) make_hostile(value);
  for (auto& r : run.experiments) {
    ExperimentInfo& e = r.experiment;
    for (std::string* field : {&e.id, &e.title, &e.owner, &e.service, &e.incident_category, &e.incident_category_title})
      make_hostile(*field);
    make_hostile(e.hypothesis, true);
    e.tags.push_back(hostile_text());
    e.follow_up.emplace_back(hostile_text() + "follow up", megabyte_hostile_text());
    make_hostile(r.reason, true);
    make_hostile(r.deviated_probe);
    make_hostile(r.expected, true);
    make_hostile(r.observed, true);
    for (auto& a : r.attempts) {
      make_hostile(a.reason, true);
      for (auto& p : a.probes) {
        make_hostile(p.probe);
        make_hostile(p.observed, true);
        for (auto& s : p.samples) make_hostile(s.observed);
      }
      for (auto& action : a.actions) make_hostile(action.detail, true);
    }
  }
  return run;
}

}  // namespace chaosgate::test
