#pragma once
// Small RunResults for the ticket tests: a builder that adds regressions,
// passes and flakes of named experiments to a run of one suite, with the CI
// values of one release.
#include <string>
#include <utility>

#include "model/run_result.h"

namespace chaosgate::test {

inline constexpr const char* k_ticket_suite = "shop green suite";

// 2026-11-25T07:12:03.000Z plus `offset_ms`.
inline TimePoint ticket_time(long long offset_ms = 0) {
  return Clock::from_time_t(1795590723) + std::chrono::milliseconds(offset_ms);
}

// Everything a ticket shows, filled: hypothesis, incidents, follow-ups, risk,
// one attempt with a before / during / after probe (the during one deviated,
// with samples), a fault action and its rollback.
inline ExperimentInfo ticket_experiment(const std::string& id) {
  ExperimentInfo e;
  e.id = id;
  e.title = "Cart survives a Redis pause";
  e.owner = "team-cart";
  e.service = "cart";
  e.targets = {"redis"};
  e.hypothesis = "While Redis is paused for 20 s, cart reads keep succeeding from the local cache.";
  e.incident_category = "cache-outage";
  e.incident_category_title = "Cache outage";
  e.incidents = {"INC-1042", "INC-1077"};
  e.attack_group = AttackGroup::state;
  e.preparation_cost = PreparationCost::medium;
  e.likelihood = 4;
  e.impact = 4;
  e.risk_level = RiskLevel::high;
  e.follow_up = {{"Add a circuit breaker around Redis reads", "fall back to the local cache"},
                 {"Alert on cache fallback rate", ""}};
  return e;
}

inline Attempt ticket_attempt(int number, Verdict verdict, const std::string& probe, long long offset_ms) {
  Attempt a;
  a.number = number;
  a.verdict = verdict;
  a.reason = verdict == Verdict::failed ? probe + ": success ratio 0.71, expected >= 0.95" : "";
  a.started = ticket_time(offset_ms);
  a.duration = std::chrono::milliseconds(12345);
  const bool failed = verdict == Verdict::failed;
  ProbeResult before{"cart-health", Phase::before, true, "status 200", "status 200 after 4 ms", {}, ticket_time(offset_ms), std::chrono::milliseconds(4)};
  ProbeResult during{probe, Phase::during, !failed, "success ratio >= 0.95",
                     failed ? "success ratio 0.71 (71/100)" : "success ratio 1 (100/100)", {},
                     ticket_time(offset_ms + 1000), std::chrono::milliseconds(10000)};
  during.samples.push_back({ticket_time(offset_ms + 1000), true, true, 12, 12, "HTTP 200"});
  during.samples.push_back({ticket_time(offset_ms + 1500), !failed, true, failed ? 0.0 : 15.0, failed ? 2000.0 : 15.0,
                            failed ? "HTTP 503" : "HTTP 200"});
  ProbeResult after{"cart-health", Phase::after, true, "status 200", "status 200 after 5 ms", {}, ticket_time(offset_ms + 12000), std::chrono::milliseconds(5)};
  // Out of order on purpose: the evidence sorts probes by time.
  a.probes = {during, before, after};
  a.actions.push_back({"pause-redis", false, true, "SIGSTOP -> pid 4242", ticket_time(offset_ms + 900), std::chrono::milliseconds(2)});
  a.actions.push_back({"resume-redis", true, true, "SIGCONT -> pid 4242", ticket_time(offset_ms + 11000), std::chrono::milliseconds(1)});
  return a;
}

inline ExperimentResult ticket_regression(const std::string& id, const std::string& probe = "cart-reads-during-stall") {
  ExperimentResult r;
  r.experiment = ticket_experiment(id);
  r.verdict = Verdict::failed;
  r.deviated_probe = probe;
  r.expected = "success ratio >= 0.95";
  r.observed = "success ratio 0.71 (71/100)";
  r.reason = probe + ": success ratio 0.71, expected >= 0.95";
  r.fingerprint = regression_fingerprint(k_ticket_suite, id, probe);
  r.started = ticket_time();
  r.duration = std::chrono::milliseconds(12345);
  r.attempts = {ticket_attempt(1, Verdict::failed, probe, 0)};
  return r;
}

inline ExperimentResult ticket_pass(const std::string& id, Verdict verdict = Verdict::passed) {
  ExperimentResult r;
  r.experiment = ticket_experiment(id);
  r.verdict = verdict;
  r.started = ticket_time();
  r.duration = std::chrono::milliseconds(12345);
  if (verdict == Verdict::flaky) {
    r.fingerprint = regression_fingerprint(k_ticket_suite, id, "cart-reads-during-stall");
    r.attempts = {ticket_attempt(1, Verdict::failed, "cart-reads-during-stall", 0),
                  ticket_attempt(2, Verdict::passed, "cart-reads-during-stall", 20000)};
  } else {
    r.attempts = {ticket_attempt(1, verdict, "cart-reads-during-stall", 0)};
  }
  return r;
}

class TicketRunBuilder {
public:
  // A run of k_ticket_suite for release `tag` (commit derived from it).
  explicit TicketRunBuilder(const std::string& tag = "v1.4.0") {
    m_run.run_id = "run-" + tag;
    m_run.tool_version = "0.1.0";
    m_run.suite_name = k_ticket_suite;
    m_run.suite_version = "2026-11-20";
    m_run.suite_digest = "sha256:0f3c9a";
    m_run.environment = "staging";
    m_run.ci.system = "gitlab";
    m_run.ci.values = {{"tag", tag},
                       {"commit", "c0ffee" + tag},
                       {"project", "shop/cart"},
                       {"pipeline_url", "https://gitlab.example.com/shop/cart/-/pipelines/" + tag},
                       {"job_url", "https://gitlab.example.com/shop/cart/-/jobs/" + tag}};
    m_run.started = ticket_time();
    m_run.finished = ticket_time(60000);
  }
  TicketRunBuilder& failed(const std::string& id, const std::string& probe = "cart-reads-during-stall") {
    m_run.experiments.push_back(ticket_regression(id, probe));
    return *this;
  }
  TicketRunBuilder& passed(const std::string& id) {
    m_run.experiments.push_back(ticket_pass(id));
    return *this;
  }
  TicketRunBuilder& flaky(const std::string& id) {
    m_run.experiments.push_back(ticket_pass(id, Verdict::flaky));
    return *this;
  }
  TicketRunBuilder& with(ExperimentResult result) {
    m_run.experiments.push_back(std::move(result));
    return *this;
  }
  TicketRunBuilder& ci(const std::string& key, const std::string& value) {
    m_run.ci.values[key] = value;
    return *this;
  }
  RunResult build() const { return m_run; }

private:
  RunResult m_run;
};

}  // namespace chaosgate::test
