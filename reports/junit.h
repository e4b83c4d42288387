#pragma once
// JUnit XML (the Surefire / Jenkins junit-10.xsd dialect that GitLab, Jenkins
// and GitHub test-report actions read): one <testsuite> per service, one
// <testcase> per experiment.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "model/run_result.h"

namespace chaosgate {

// Size bounds. Text is cleaned first (report_text.h): no control characters,
// invalid UTF-8 replaced by U+FFFD; `]]>` is harmless because no CDATA is used
// and `>` is escaped.
struct JunitLimits {
  std::size_t max_attribute_bytes = 1024;      // each message / name / property value
  std::size_t max_body_bytes = 16 * 1024;      // each failure / error / system-out body
  std::size_t max_total_body_bytes = 32 << 20; // all bodies; past it a body only points at journal.json
};

// The report as a complete XML document (UTF-8, with declaration).
// - failed and aborted -> <failure>, error -> <error>, skipped -> <skipped
//   message=reason>; flaky passes, with a <flakyFailure> of the failed attempt
//   and a <system-out> note.
// - junit-10.xsd allows <properties> only on <testsuite>, not on <testcase>:
//   the per-experiment properties go there, named "<experiment id>.<key>"
//   (owner, service, incident_category, attack_group, risk.likelihood,
//   risk.impact, risk.level, fingerprint, flaky), next to the suite-wide
//   chaosgate.suite, chaosgate.suite_digest, chaosgate.run_id, chaosgate.environment.
// - Preflight problems (nothing injected) are one <error> test case each in a
//   suite named "preflight", so CI shows why nothing ran.
// Counts on <testsuite> / <testsuites> equal the elements written.
std::string junit_xml(const RunResult& run, const JunitLimits& limits = {});

// The same document handed to `out` in pieces of about 64 KiB, never held
// whole (10,000 experiments are ~5 MB of XML).
void write_junit(const RunResult& run, const std::function<void(std::string_view)>& out, const JunitLimits& limits = {});

}  // namespace chaosgate
