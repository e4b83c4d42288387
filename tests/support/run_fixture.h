#pragma once
// RunResults for the report tests: a representative run (every verdict,
// several services and teams, probes with samples, actions and rollbacks, CI
// values) and a hostile variant whose text tries to break every report format.
#include <cstddef>
#include <string>

#include "model/run_result.h"

namespace chaosgate::test {

// Experiment ids of representative_run(), in plan order, one per verdict.
namespace fixture_id {
inline constexpr const char* passed = "checkout-survives-payment-latency";  // service checkout, team-payments
inline constexpr const char* failed = "cart-survives-redis-pause";          // service cart, team-cart, risk high
inline constexpr const char* flaky = "search-tolerates-index-restart";      // service search, team-search, 2 attempts
inline constexpr const char* error = "cart-handles-db-failover";            // service cart, team-cart
inline constexpr const char* skipped = "checkout-retries-on-dns-failure";   // service checkout, team-payments
inline constexpr const char* aborted = "inventory-survives-cpu-hog";        // service inventory, team-inventory
}  // namespace fixture_id

// The suite file every experiment of the fixture is written in (note the space).
inline constexpr const char* k_fixture_suite_file = "suites/my suite.yaml";

// A fixed instant plus `offset_ms`; millisecond precision, so it survives the journal.
TimePoint fixture_time(long long offset_ms = 0);

// Six experiments over four services and four teams, one per Verdict:
// - failed: deviated probe / expected / observed, fingerprint, follow-up tasks,
//   tags, incidents, location "suites/my suite.yaml":42:5, duration 12.345 s;
// - flaky: attempt 1 failed, attempt 2 passed;
// - error, aborted: reason and fingerprint (no deviated probe); skipped: reason.
// Gate "failed", exit code 1, environment "staging", CI system "gitlab".
RunResult representative_run();

// The failed experiment of representative_run(), for tests that build their own runs.
ExperimentResult failed_experiment(const std::string& id, RiskLevel risk);

// A run of `count` small experiments (no attempts), every 7th one failed.
RunResult run_with_experiments(std::size_t count);

// Control characters (\x01, ESC), "]]>", "<script>", a Markdown javascript:
// link, a table pipe and invalid UTF-8 (\xff\xfe), in a few dozen bytes.
std::string hostile_text();

// `hostile_text()` repeated (with multibyte characters) to 1 MiB.
std::string megabyte_hostile_text();

// representative_run() with hostile_text() or 1 MiB of it in every text field
// a suite, a probe or the CI can fill: ids, titles, owners, services,
// hypotheses, tags, follow-ups, reasons, probe names, expected / observed,
// sample and action details, suite name, environment, gate reason, command line.
RunResult hostile_run();

}  // namespace chaosgate::test
