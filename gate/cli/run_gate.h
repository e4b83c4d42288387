#pragma once
// One run of a suite against an environment, from loading to the exit code:
// what `run` (the release gate) and `drill` (a replay under stricter rules)
// both do.
#include <string>
#include <vector>

#include "cli/status_setup.h"
#include "cli/suite_input.h"
#include "cli/tracker_setup.h"
#include "engine/drill_rules.h"

namespace chaosgate::cli {

struct RunOptions {
  std::string source;
  SuiteInputOptions input;
  SelectionOptions selection;
  std::string out = "chaosgate-out";
  int parallel = 16;
  std::string deadline;
  std::string fail_on = "regression";
  bool dry_run = false;
  bool allow_production = false;
  bool html = false;         // report.html too
  TrackerOptions tracker;
  StatusOptions status;
  std::vector<std::string> ci_overrides;
  std::string command_line;  // as typed, redacted before it is recorded
  bool drill = false;        // guard_drill's rules apply; the reports say "drill"
  std::string confirmation;  // drill: --confirm
};

// Returns the exit code. Throws UserError for mistakes found before anything
// is touched (cli/app.cpp turns it into exit 2).
int run_gate(const RunOptions& options);

// The options run and drill share: --out, --parallel, --deadline, --fail-on,
// the tracker and status options, --ci, --dry-run, --allow-production. Shown
// defaults are what `options` holds when this is called.
void add_execution_options(CLI::App& command, RunOptions& options);

// --html: report.html next to the other reports (run, drill, report, merge).
void add_html_flag(CLI::App& command, bool& html);

// "chaosgate NAME --opt value ..." from the parsed options of `command`.
std::string typed_command_line(const std::string& name, const CLI::App& command);

}  // namespace chaosgate::cli
