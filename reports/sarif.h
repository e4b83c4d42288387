#pragma once
// SARIF 2.1.0 (OASIS), as GitHub code scanning and GitLab read it: one run,
// one rule per experiment, one result per regression.
#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "model/run_result.h"
#include "util/atomic_file.h"

namespace chaosgate {

struct SarifOptions {
  // GitHub code scanning accepts at most 25,000 results per run.
  std::size_t max_results = 25000;
  // GitHub reads at most 20 tags per rule.
  std::size_t max_tags = 20;
};

// The SARIF log of `run`:
// - tool.driver: name "chaosgate", version / semanticVersion from the run,
//   informationUri; rules: one per experiment (id = experiment id, name in
//   PascalCase, shortDescription = title, fullDescription = hypothesis, help
//   with the follow-up tasks, properties team / category / attackGroup / risk / tags).
// - results: one per failed experiment (level from its risk: critical/high ->
//   error, medium -> warning, low -> note) and one per error / aborted one
//   (level note), most severe first; past `max_results` the rest is left out
//   and run.properties says how many ("resultsOmitted").
// - locations: the experiment's line in its suite file; a relative path is a
//   percent-encoded uri under uriBaseId "%SRCROOT%" (declared in
//   run.originalUriBaseIds), an absolute path a file:// uri, an http(s) suite
//   its own absolute uri.
// - invocations: start/end, redacted command line, exit code; automationDetails.id
//   "chaosgate/<environment>/<run_id>".
// Never throws for any RunResult (text is cleaned to valid UTF-8).
nlohmann::json sarif_log(const RunResult& run, const SarifOptions& options = {});

// Writes sarif_log(run) pretty-printed (2 spaces, with a final newline) to
// `path` atomically, one rule and one result at a time: never the whole log
// in memory. Throws std::runtime_error naming the path on an I/O error.
void write_sarif(const RunResult& run, const std::string& path, const SarifOptions& options = {});

// The same log appended to `file`, which is left for the caller to commit:
// lets it be written while another report is still being made.
void write_sarif(const RunResult& run, AtomicFile& file, const SarifOptions& options = {});

// "examples/my suite.yaml" -> "examples/my%20suite.yaml" (each segment
// percent-encoded, slashes kept); exposed for tests.
std::string sarif_relative_uri(const std::string& path);

}  // namespace chaosgate
