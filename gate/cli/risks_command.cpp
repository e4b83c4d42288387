#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/command.h"
#include "cli/journal_input.h"
#include "cli/suite_input.h"
#include "cli/table.h"
#include "insight/risk_register.h"
#include "trackers/file_tracker.h"
#include "util/errors.h"
#include "util/text.h"

namespace chaosgate::cli {

namespace {

namespace fs = std::filesystem;

struct RisksOptions {
  std::string source;
  SuiteInputOptions input;
  std::vector<std::string> journals;
  std::string state_dir = ".chaosgate";
  std::string format = "table";
};

// A journal of another suite is a mistake, not a run to skip.
std::vector<insight::JournalRun> read_suite_journals(const std::vector<std::string>& paths, const Suite& suite) {
  auto journals = read_journals(paths);
  for (const auto& journal : journals)
    if (journal.run.suite_name != suite.name)
      throw UserError(journal.file + ": a journal of suite " + in_quotes(journal.run.suite_name) + ", not of " +
                      in_quotes(suite.name));
  return journals;
}

void print_register(std::ostream& out, const insight::RiskRegister& risks) {
  out << "Risk register of suite " << risks.suite_name << (risks.suite_version.empty() ? "" : " " + risks.suite_version)
      << " over " << risks.runs.size() << " run(s), oldest first\n\n";
  std::vector<std::vector<std::string>> rows = {{"experiment", "service", "owner", "attack", "category", "stage", "L",
                                                 "I", "score", "level", "status", "trend", "tickets"}};
  for (const auto& e : risks.entries) {
    const std::string likelihood = e.likelihood == e.suite_likelihood
                                       ? std::to_string(e.likelihood)
                                       : std::to_string(e.likelihood) + " (from " + std::to_string(e.suite_likelihood) + ")";
    const std::string trend = e.trend().empty() ? "-"
                              : e.direction == insight::Direction::unknown
                                  ? e.trend()
                                  : e.trend() + " (" + insight::direction_name(e.direction) + ")";
    rows.push_back({e.id, e.service, e.owner, enum_name(e.attack_group), e.incident_category, enum_name(e.lifecycle),
                    likelihood, std::to_string(e.impact), std::to_string(e.score), enum_name(e.level),
                    insight::status_name(e.status), trend, e.open_tickets.empty() ? "-" : join(e.open_tickets, ",")});
  }
  print_table(out, rows);
  out << "\nL (likelihood) = " << insight::k_likelihood_rule
      << ".\nTrend: P held, F regressed, K flaky, E error, A aborted, - not run.\n\nPer service:\n";
  rows = {{"service", "experiments", "highest", "held", "regressed", "flaky", "error", "aborted", "never run"}};
  for (const auto& s : risks.services) {
    std::vector<std::string> row = {s.service, std::to_string(s.experiments), s.highest ? enum_name(*s.highest) : "-"};
    for (const auto& [status, count] : s.statuses) row.push_back(std::to_string(count));
    rows.push_back(std::move(row));
  }
  print_table(out, rows);
}

int run_risks(const RisksOptions& options) {
  const LoadResult loaded = fetch_and_load(options.source, options.input);
  const Suite& suite = require_valid(loaded);
  const auto journals = read_suite_journals(options.journals, suite);
  std::vector<RunResult> runs;
  for (const auto& journal : journals) runs.push_back(journal.run);
  const auto risks = insight::build_risk_register(suite, runs, trackers::open_tickets_by_experiment(options.state_dir, suite.name));
  if (options.format == "json") {
    nlohmann::json document = risks;
    for (std::size_t i = 0; i < journals.size(); ++i) document["runs"][i]["file"] = journals[i].file;
    std::cout << document.dump(2) << '\n';
  } else if (options.format == "csv") {
    std::cout << insight::to_csv(risks);
  } else {
    print_register(std::cout, risks);
  }
  return k_exit_passed;
}

}  // namespace

CommandSpec risks_command() {
  return {"risks", "Risk register: each experiment's risk level, current status and trend across journals",
          "  chaosgate risks --suite examples/shop-suite.yaml\n"
          "  chaosgate risks --suite examples/shop-suite.yaml --journal run-1/ --journal run-2/journal.json\n"
          "  chaosgate risks --suite suites/ --journal out/ --format csv > risks.csv\n"
          "  chaosgate risks --suite suites/ --journal out/ --state-dir .chaosgate --format json\n"
          "Status is the verdict in the newest journal that ran the experiment (held, regressed, flaky,\n"
          "error, aborted; never run). Likelihood rule: the suite's likelihood + 1 per consecutive\n"
          "regression ending with that newest run, at most 5; score and level are recomputed from it\n"
          "through the suite's risk matrix. Open tickets come from <state-dir>/tickets.json (file tracker).",
          [](CLI::App& command) {
            auto options = std::make_shared<RisksOptions>();
            command.add_option("--suite", options->source, "Suite file, directory, http(s) URL or gitlab://project//path@ref")
                ->required();
            add_suite_input_options(command, options->input);
            command.add_option("--journal", options->journals,
                               "A journal.json or an output directory holding one; repeat for more (ordered by start time)");
            command.add_option("--state-dir", options->state_dir, "Where the file tracker keeps tickets.json (read if present)")
                ->envname("CHAOSGATE_STATE_DIR")
                ->capture_default_str();
            command.add_option("--format", options->format, "Output format")
                ->check(CLI::IsMember({"table", "csv", "json"}))
                ->capture_default_str();
            return [options] { return run_risks(*options); };
          }};
}

}  // namespace chaosgate::cli
