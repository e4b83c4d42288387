// make_journal N OUT.json [--seed S]
//
// Writes a realistic journal of N experiments for the "reports at scale"
// benchmark (bench/run, scenario 5): ~50 services of 10 teams, verdicts about
// 90 % passed, 4 % failed, 2 % flaky, 2 % error, 1 % skipped, 1 % aborted,
// shaped as the engine records them (engine/experiment_runner.cpp): a failed
// experiment has two failed attempts, a flaky one a failed and a passed one,
// error / aborted / passed one attempt, skipped none. Each attempt has a
// steady-state probe before and after, one sampled "during" probe (~50
// samples) and a fault with its rollback. The same N and seed give the same
// file, byte for byte. After writing, the journal is read back and compared:
// exit 1 when it does not round-trip.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/gate_decision.h"
#include "journal_file.h"
#include "model/run_result.h"
#include "model/suite.h"
#include "util/sha256.h"

namespace cg = chaosgate;
using std::chrono::milliseconds;

namespace {

// splitmix64: fully specified, so the output does not depend on the standard
// library's distributions.
class Random {
public:
  explicit Random(std::uint64_t seed) : m_state(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
  int between(int low, int high) { return low + below(high - low + 1); }  // inclusive
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double between(double low, double high) { return low + (high - low) * unit(); }
  bool chance(double p) { return unit() < p; }
  template <typename T>
  const T& pick(const std::vector<T>& items) { return items[static_cast<std::size_t>(below(static_cast<int>(items.size())))]; }

private:
  std::uint64_t m_state;
};

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

// "1.5s", "800ms"
std::string short_duration(milliseconds d) {
  if (d.count() < 1000) return std::to_string(d.count()) + "ms";
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + "s";
  return fixed(static_cast<double>(d.count()) / 1000.0, 1) + "s";
}

// Rounded to 3 decimals, as a real probe measures.
double ms3(double value) { return static_cast<double>(static_cast<long long>(value * 1000.0 + 0.5)) / 1000.0; }

struct Team {
  std::string id;
  std::vector<std::string> services;
};

struct Category {
  std::string id, title;
  std::vector<std::string> incidents;
};

struct Fault {
  std::string slug;          // in experiment ids: "redis-stall"
  std::string title;         // "a 30 s redis stall" (with %s for the duration)
  cg::AttackGroup group;
  std::string category;
  std::string target;        // blast radius, besides the service's own
  std::string action, action_detail, rollback, rollback_detail;
  std::string error_detail;  // the fault action's detail when it fails
  std::vector<std::string> tags;
  std::vector<std::pair<std::string, std::string>> follow_up;
};

const std::vector<Team> k_teams = {
    {"storefront", {"storefront", "product-pages", "search-ui", "recommendations", "image-cdn"}},
    {"checkout", {"cart", "checkout", "pricing", "promotions", "tax"}},
    {"payments", {"payments", "fraud-check", "refunds", "ledger", "payouts"}},
    {"search", {"search-api", "indexer", "autocomplete", "ranking", "synonyms"}},
    {"catalog", {"catalog", "inventory", "product-import", "media-store", "categories"}},
    {"identity", {"accounts", "login", "sessions", "permissions", "mfa"}},
    {"fulfilment", {"orders", "shipping", "warehouse", "returns", "tracking"}},
    {"platform", {"api-gateway", "service-mesh", "config-service", "feature-flags", "monitoring"}},
    {"data", {"events", "analytics", "reporting", "exports", "etl"}},
    {"mobile", {"mobile-bff", "push", "app-config", "deep-links", "mobile-auth"}},
};

const std::vector<Category> k_categories = {
    {"dependency-outage", "A dependency (cache, database) stops answering", {"INC-1042", "INC-1107", "INC-1290"}},
    {"instance-loss", "One instance of a service dies or hangs", {"INC-0988"}},
    {"resource-exhaustion", "CPU, memory or connections run out", {"INC-1133", "INC-1150"}},
    {"bad-config", "A configuration or data change breaks behaviour", {"INC-1201"}},
    {"network-degradation", "Latency, loss or partitions between services", {"INC-1017", "INC-1244", "INC-1302"}},
    {"zone-outage", "An availability zone or its load balancer goes away", {}},
};

std::vector<Fault> faults() {
  using G = cg::AttackGroup;
  return {
      {"redis-stall", "a %s redis stall", G::dependency, "dependency-outage", "redis", "stall-redis",
       "SIGSTOP -> pid 32254", "resume-redis", "SIGCONT -> pid 32254", "no process in /run/redis/redis.pid (file missing)",
       {"redis", "retries"},
       {{"Check the redis client retry policy", "Retries with back-off must cover the stall."},
        {"Add an alert on redis_errors_total per instance", ""}}},
      {"instance-freeze", "one frozen instance for %s", G::state, "instance-loss", "shop-backends", "freeze-instance-b",
       "SIGSTOP -> pid 41877", "thaw-instance-b", "SIGCONT -> pid 41877", "kill(41877, SIGSTOP): Operation not permitted",
       {"failover", "load-balancer"},
       {{"Lower the upstream health-check interval", "nginx keeps sending traffic to the frozen backend for 10 s."}}},
      {"cpu-hog", "a CPU hog on every core for %s", G::resource, "resource-exhaustion", "shop-backends", "burn-cpu",
       "exit 0", "stop-cpu-burn", "exit 0", "exit 127: stress-ng: command not found",
       {"cpu", "autoscaling"},
       {{"Review the HPA target utilisation", "Scaling starts after the window is already over."},
        {"Set CPU requests for the service", "Without requests the scheduler overcommits the node."}}},
      {"db-latency", "200 ms extra latency to postgres for %s", G::network, "network-degradation", "postgres",
       "delay-postgres", "HTTP 201 (toxiproxy latency 200ms)", "remove-delay", "HTTP 204",
       "HTTP 503 from toxiproxy: <html><body>upstream \"toxiproxy\" & friends unavailable</body></html>",
       {"postgres", "latency", "timeouts"},
       {{"Set statement_timeout below the request timeout", ""},
        {"Cache the read path", "Most reads in the window are for the same 20 products."}}},
      {"packet-loss", "10 % packet loss to the payment provider for %s", G::network, "network-degradation", "egress",
       "drop-packets", "exit 0 (tc qdisc add dev eth0 root netem loss 10%)", "restore-network",
       "exit 0 (tc qdisc del dev eth0 root)", "exit 2: RTNETLINK answers: Operation not permitted",
       {"network", "payments-provider"},
       {{"Make provider calls idempotent", "A retried charge must not charge twice."}}},
      {"config-flip", "a bad feature-flag rollout for %s", G::application, "bad-config", "config", "flip-flag",
       "HTTP 200 (flag new-pricing-engine -> 100%)", "restore-flag", "HTTP 200 (flag new-pricing-engine -> 0%)",
       "HTTP 409: {\"error\":\"flag is locked by change freeze\"}",
       {"feature-flags", "config"},
       {{"Gate flag rollouts on the error budget", ""}}},
      {"dns-failure", "failing DNS for %s", G::dependency, "dependency-outage", "dns", "break-dns",
       "exit 0 (iptables -A OUTPUT -p udp --dport 53 -j DROP)", "restore-dns", "exit 0",
       "exit 4: iptables: Resource temporarily unavailable.",
       {"dns", "caching"},
       {{"Cache resolved addresses for 60 s", "Every request resolves the provider's name again."},
        {"Document the DNS fallback in the runbook", ""}}},
      {"zone-drain", "the loss of zone b for %s", G::resource, "zone-outage", "zone-b", "drain-zone-b",
       "HTTP 202 (lb pool zone-b weight 0)", "restore-zone-b", "HTTP 202 (lb pool zone-b weight 100)",
       "HTTP 500: internal error",
       {"zones", "capacity"},
       {{"Keep 50 % headroom per zone", "Zone a alone runs at 92 % CPU."}}},
  };
}

struct ProbeKind {
  std::string name_suffix;  // "-reads-during-fault", ...
  int kind;                 // 0 http, 1 prometheus, 2 tcp
};

// A probe answered once (before / after).
cg::ProbeResult single_probe(Random& random, const std::string& name, cg::Phase phase, cg::TimePoint at, bool ok) {
  cg::ProbeResult probe;
  probe.probe = name;
  probe.phase = phase;
  probe.ok = ok;
  probe.expected = "status 200, latency <= 500ms";
  cg::ProbeSample sample;
  sample.at = at;
  sample.ok = ok;
  sample.reached = true;
  sample.latency_ms = ms3(ok ? random.between(0.6, 40.0) : random.between(2.0, 30.0));
  sample.value = sample.latency_ms;
  sample.observed = ok ? "HTTP 200 in " + fixed(sample.latency_ms, 2) + "ms"
                       : "status 503 (HTTP 503 in " + fixed(sample.latency_ms, 0) + "ms)";
  probe.observed = sample.observed;
  probe.samples.push_back(std::move(sample));
  probe.started = at;
  probe.duration = milliseconds(static_cast<long long>(probe.samples.back().latency_ms));
  return probe;
}

// A probe sampled over the fault window; `failing` is the share of failed samples.
cg::ProbeResult sampled_probe(Random& random, const std::string& name, cg::Phase phase, int kind, cg::TimePoint start,
                              milliseconds window, double failing, double min_ratio) {
  cg::ProbeResult probe;
  probe.probe = name;
  probe.phase = phase;
  probe.started = start;
  probe.duration = window;
  const int count = random.between(45, 55);
  const milliseconds every = window / count;
  const double p95_limit = kind == 0 ? 800 : 0;
  probe.expected = "success ratio >= " + fixed(min_ratio, 2) + (kind == 0 ? ", p95 <= 800ms" : "");
  int ok_count = 0;
  std::vector<double> latencies;
  for (int i = 0; i < count; ++i) {
    cg::ProbeSample sample;
    sample.at = start + every * i + milliseconds(random.below(3));
    const bool fails = random.chance(failing);
    if (kind == 0) {  // http
      sample.reached = !fails || random.chance(0.7);
      sample.latency_ms = ms3(fails ? random.between(400.0, 2000.0) : random.between(1.0, 120.0));
      sample.value = sample.latency_ms;
      sample.ok = !fails;
      sample.observed = !sample.reached ? "connection refused"
                        : fails ? (random.chance(0.5) ? "status 503 (HTTP 503 in " + fixed(sample.latency_ms, 0) + "ms)"
                                                      : "body does not contain \"ok\" (HTTP 200 in " + fixed(sample.latency_ms, 0) +
                                                            "ms: {\"status\":\"degraded\",\"redis\":\"<timeout>\"})")
                                : "HTTP 200 in " + fixed(sample.latency_ms, 2) + "ms";
      if (sample.reached) latencies.push_back(sample.latency_ms);
    } else if (kind == 1) {  // prometheus
      sample.reached = true;
      sample.latency_ms = ms3(random.between(3.0, 25.0));
      sample.value = ms3(fails ? random.between(0.02, 0.3) : random.between(0.0, 0.009));
      sample.ok = !fails;
      sample.observed = fixed(sample.value, 3);
    } else {  // tcp
      sample.reached = !fails;
      sample.latency_ms = ms3(fails ? random.between(1000.0, 2000.0) : random.between(0.1, 3.0));
      sample.value = sample.latency_ms;
      sample.ok = !fails;
      sample.observed = fails ? "connect timed out after 1s" : "connected in " + fixed(sample.latency_ms, 2) + "ms";
    }
    ok_count += sample.ok ? 1 : 0;
    probe.samples.push_back(std::move(sample));
  }
  const double ratio = static_cast<double>(ok_count) / count;
  probe.observed = "success ratio " + fixed(ratio, 2) + " (" + std::to_string(ok_count) + "/" + std::to_string(count) + ")";
  bool p95_ok = true;
  if (kind == 0 && !latencies.empty()) {
    std::sort(latencies.begin(), latencies.end());
    const double p95 = latencies[std::min(latencies.size() - 1, latencies.size() * 95 / 100)];
    probe.observed += ", p95 " + fixed(p95, 0) + "ms";
    p95_ok = p95 <= p95_limit;
  }
  probe.ok = ratio >= min_ratio && p95_ok;
  return probe;
}

cg::ActionRecord action(const std::string& name, bool rollback, bool ok, const std::string& detail, cg::TimePoint at,
                        milliseconds duration) {
  cg::ActionRecord record;
  record.action = name;
  record.rollback = rollback;
  record.ok = ok;
  record.detail = detail;
  record.started = at;
  record.duration = duration;
  return record;
}

struct Plan {
  const Fault* fault;
  std::string id, service;
  std::string during_name, health_name;
  int probe_kind;
  milliseconds window;
};

// One attempt, as AttemptRunner::run_phases records it. `outcome` is what
// this attempt ends with: passed, failed, error (fault action fails) or
// aborted (a stop condition breaches).
cg::Attempt attempt(Random& random, const Plan& plan, int number, cg::Verdict outcome, cg::TimePoint start,
                    std::string& deviated, std::string& expected, std::string& observed) {
  cg::Attempt a;
  a.number = number;
  a.started = start;
  cg::TimePoint now = start;
  a.probes.push_back(single_probe(random, plan.health_name, cg::Phase::before, now, true));
  now += milliseconds(random.between(2, 40));

  const cg::TimePoint window_start = now;
  const bool action_fails = outcome == cg::Verdict::error;
  const bool aborted = outcome == cg::Verdict::aborted;
  const milliseconds window = action_fails ? milliseconds(random.between(50, 2500))
                              : aborted    ? plan.window * random.between(20, 60) / 100
                                           : plan.window;
  const Fault& fault = *plan.fault;
  const std::string detail = fault.slug == "cpu-hog" ? "exit 0 (stress-ng --cpu 0 --timeout " + short_duration(plan.window) + ")"
                                                      : fault.action_detail;
  a.actions.push_back(action(fault.action, false, !action_fails, action_fails ? fault.error_detail : detail, window_start,
                             action_fails ? window : milliseconds(random.between(0, 30))));
  a.actions.push_back(action(fault.rollback, true, true, fault.rollback_detail, window_start + window,
                             milliseconds(random.between(0, 25))));

  const double failing = outcome == cg::Verdict::failed ? random.between(0.15, 0.6)
                         : aborted                     ? random.between(0.4, 0.9)
                                                       : (random.chance(0.3) ? random.between(0.0, 0.03) : 0.0);
  a.probes.push_back(sampled_probe(random, plan.during_name, cg::Phase::during, plan.probe_kind, window_start, window,
                                   outcome == cg::Verdict::passed ? std::min(failing, 0.03) : failing, 0.95));
  if (outcome == cg::Verdict::passed || outcome == cg::Verdict::error) a.probes.back().ok = true;
  if (outcome == cg::Verdict::failed) a.probes.back().ok = false;
  if (aborted) {
    // Suite-wide stop condition, sampled every 500 ms; it broke the window off.
    cg::ProbeResult guard = sampled_probe(random, "storefront-not-down-hard", cg::Phase::stop_condition, 0, window_start,
                                          window, 0.8, 0.5);
    guard.ok = false;
    guard.samples.resize(std::min<std::size_t>(guard.samples.size(), 12));
    a.probes.push_back(std::move(guard));
  }
  now = window_start + window + milliseconds(random.between(20, 60));
  a.probes.push_back(single_probe(random, plan.health_name, cg::Phase::after, now, true));
  now += milliseconds(random.between(1, 20));
  a.duration = std::chrono::duration_cast<milliseconds>(now - start);
  a.verdict = outcome;

  const cg::ProbeResult& during = a.probes[1];
  switch (outcome) {
    case cg::Verdict::failed:
      deviated = during.probe, expected = during.expected, observed = during.observed;
      a.reason = during.probe + ": " + during.observed + ", expected " + during.expected;
      break;
    case cg::Verdict::error:
      a.reason = "action " + fault.action + " failed: " + fault.error_detail;
      break;
    case cg::Verdict::aborted:
      a.reason = "stop condition storefront-not-down-hard breached: " + a.probes[2].samples.back().observed + "; rollbacks ran";
      break;
    default:
      a.reason = "hypothesis held";
  }
  return a;
}

cg::Verdict draw_verdict(Random& random) {
  const int roll = random.below(100);
  if (roll < 90) return cg::Verdict::passed;
  if (roll < 94) return cg::Verdict::failed;
  if (roll < 96) return cg::Verdict::flaky;
  if (roll < 98) return cg::Verdict::error;
  if (roll < 99) return cg::Verdict::skipped;
  return cg::Verdict::aborted;
}

cg::RunResult make_run(std::size_t n, std::uint64_t seed) {
  Random random(seed);
  const std::vector<Fault> all_faults = faults();
  const auto matrix = cg::RiskMatrix::standard();
  const std::vector<std::string> extra_tags = {"tier-1", "customer-facing", "gameday-2026", "slo", "pci", "nightly",
                                               "legacy", "k8s", "vm", "eu-west-1"};
  const std::vector<ProbeKind> during_kinds = {
      {"-reads-during-fault", 0}, {"-error-rate", 1}, {"-port-open", 2}, {"-checkout-flow", 0}};

  cg::RunResult run;
  run.run_id = cg::sha256_hex("run " + std::to_string(seed)).substr(0, 16);
  run.tool_version = "0.1.0";
  run.suite_name = "shop";
  run.suite_version = "2026.11";
  run.suite_digest = cg::sha256_hex("suite " + std::to_string(seed));
  run.suite_files = {"suites/shop suite.yaml"};
  run.environment = "staging";
  run.command_line = "chaosgate run --suite 'suites/shop suite.yaml' --env staging --parallel 8 --out reports "
                     "--ticket-token '[redacted]'";
  run.ci.system = "gitlab";
  run.ci.values = {{"commit", "3f9c2d1e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d"},
                   {"ref", "release/2026.11"},
                   {"mr", "1287"},
                   {"pipeline_url", "https://gitlab.example.com/shop/platform/-/pipelines/884213"},
                   {"job_url", "https://gitlab.example.com/shop/platform/-/jobs/5521907"},
                   {"project", "shop/platform"}};
  // 2026-11-25T06:00:00Z; every time point is whole milliseconds, as in a journal.
  run.started = cg::TimePoint(std::chrono::seconds(1795586400));

  // Eight lanes, as with --parallel 8.
  std::array<cg::TimePoint, 8> lanes;
  lanes.fill(run.started + milliseconds(120));
  int line = 64;
  run.experiments.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Team& team = k_teams[i % k_teams.size()];
    const std::string& service = team.services[(i / k_teams.size()) % team.services.size()];
    const Fault& fault = random.pick(all_faults);
    const Category& category = *std::find_if(k_categories.begin(), k_categories.end(),
                                             [&](const Category& c) { return c.id == fault.category; });
    const ProbeKind& kind = random.pick(during_kinds);
    char number[32];
    std::snprintf(number, sizeof number, "%05zu", i + 1);
    const milliseconds window(1000 * random.between(5, 60));

    Plan plan{&fault, service + "-survives-" + fault.slug + "-" + number, service, service + kind.name_suffix,
              service + "-health", kind.kind, window};

    cg::ExperimentResult result;
    cg::ExperimentInfo& e = result.experiment;
    e.id = plan.id;
    std::string what = fault.title;
    what.replace(what.find("%s"), 2, short_duration(window));
    e.title = service + " keeps working through " + what;
    e.owner = team.id;
    e.service = service;
    e.targets = {service + "-pods", fault.target};
    e.hypothesis = "When " + what + " hits " + service + ", at least 95 % of its requests succeed with p95 under 800 ms, "
                   "and nothing is lost once the fault is gone.";
    e.incident_category = category.id;
    e.incident_category_title = category.title;
    e.incidents = category.incidents;
    e.attack_group = fault.group;
    e.preparation_cost = static_cast<cg::PreparationCost>(random.below(3));
    e.status = random.chance(0.85) ? cg::LifecycleStatus::promoted : cg::LifecycleStatus::candidate;
    e.likelihood = random.between(1, 5);
    e.impact = random.between(1, 5);
    e.risk_level = matrix.level(e.likelihood, e.impact);
    e.tags = fault.tags;
    for (int t = random.between(0, 2); t > 0; --t) {
      const std::string& tag = random.pick(extra_tags);
      if (std::find(e.tags.begin(), e.tags.end(), tag) == e.tags.end()) e.tags.push_back(tag);
    }
    e.follow_up = fault.follow_up;
    e.location = {"suites/shop suite.yaml", line, 5};
    line += random.between(24, 48);
    e.definition_digest = cg::sha256_hex(plan.id + "\n" + short_duration(window) + "\n" + fault.action);

    const cg::Verdict verdict = draw_verdict(random);
    const auto lane = std::min_element(lanes.begin(), lanes.end());
    result.started = *lane;
    result.verdict = verdict;
    cg::TimePoint at = result.started;
    std::string deviated, expected, observed;
    const auto add = [&](int attempt_number, cg::Verdict outcome) {
      std::string d, x, o;
      result.attempts.push_back(attempt(random, plan, attempt_number, outcome, at, d, x, o));
      at += result.attempts.back().duration + milliseconds(random.between(1, 5));
      if (attempt_number == 1) deviated = d, expected = x, observed = o;
    };
    switch (verdict) {
      case cg::Verdict::passed: add(1, cg::Verdict::passed); break;
      case cg::Verdict::failed: add(1, cg::Verdict::failed), add(2, cg::Verdict::failed); break;
      case cg::Verdict::flaky: add(1, cg::Verdict::failed), add(2, cg::Verdict::passed); break;
      case cg::Verdict::error: add(1, cg::Verdict::error); break;
      case cg::Verdict::aborted: add(1, cg::Verdict::aborted); break;
      case cg::Verdict::skipped: break;
    }
    if (verdict == cg::Verdict::skipped) {
      result.reason = random.chance(0.5) ? "not started: --deadline reached" : "not started: the gate was interrupted";
    } else {
      result.reason = result.attempts.front().reason;
      result.deviated_probe = deviated;
      result.expected = expected;
      result.observed = observed;
    }
    if (verdict == cg::Verdict::flaky) result.reason = "failed, then passed on retry 1: " + result.reason;
    if (verdict == cg::Verdict::failed || verdict == cg::Verdict::flaky || verdict == cg::Verdict::error)
      result.fingerprint = cg::regression_fingerprint(run.suite_name, e.id, deviated.empty() ? "error" : deviated);
    result.duration = std::chrono::duration_cast<milliseconds>(at - result.started);
    *lane = at + milliseconds(random.between(5, 50));
    run.experiments.push_back(std::move(result));
  }
  run.finished = *std::max_element(lanes.begin(), lanes.end());
  cg::decide_gate(run, cg::FailOn::regression, 0);
  return run;
}

int usage() {
  std::fprintf(stderr, "usage: make_journal N OUT.json [--seed S]\n");
  return 2;
}

bool parse_number(const char* text, std::uint64_t& out) {
  const char* end = text + std::strlen(text);
  const auto [ptr, ec] = std::from_chars(text, end, out);
  return ec == std::errc() && ptr == end && ptr != text;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> positional;
  std::uint64_t seed = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seed") == 0) {
      if (i + 1 >= argc || !parse_number(argv[i + 1], seed)) return usage();
      ++i;
    } else if (std::strcmp(argv[i], "-h") == 0 || std::strcmp(argv[i], "--help") == 0) {
      usage();
      return 0;
    } else {
      positional.emplace_back(argv[i]);
    }
  }
  std::uint64_t n = 0;
  if (positional.size() != 2 || !parse_number(positional[0].c_str(), n)) return usage();
  const std::string& out = positional[1];
  try {
    const cg::RunResult run = make_run(static_cast<std::size_t>(n), seed);
    cg::write_journal(run, out);
    // Round trip: the journal reads back into the same run.
    const cg::RunResult back = cg::read_journal(out);
    if (nlohmann::json(back) != nlohmann::json(run)) {
      std::fprintf(stderr, "make_journal: %s does not read back as written\n", out.c_str());
      return 1;
    }
    std::fprintf(stderr, "make_journal: %s: %zu experiments (%zu passed, %zu failed, %zu flaky, %zu error, %zu skipped, "
                         "%zu aborted), gate %s\n",
                 out.c_str(), run.experiments.size(), run.count(cg::Verdict::passed), run.count(cg::Verdict::failed),
                 run.count(cg::Verdict::flaky), run.count(cg::Verdict::error), run.count(cg::Verdict::skipped),
                 run.count(cg::Verdict::aborted), run.gate.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_journal: %s\n", e.what());
    return 1;
  }
  return 0;
}
