#include <spdlog/spdlog.h>

#include <csignal>
#include <filesystem>
#include <iostream>

#include "cli/ci_context.h"
#include "cli/command.h"
#include "cli/run_gate.h"
#include "cli/status_setup.h"
#include "cli/table.h"
#include "engine/gate_decision.h"
#include "journal_file.h"
#include "journal_merge.h"
#include "report_writer.h"
#include "summary_markdown.h"
#include "util/errors.h"
#include "util/text.h"

namespace chaosgate::cli {

namespace {

struct MergeOptions {
  std::vector<std::string> inputs;
  std::string out = "chaosgate-out";
  bool html = false;
  std::string fail_on = "regression";
  StatusOptions status;
};

// A shard's output directory (its journal.json) or a journal file.
std::string journal_path(const std::string& input) {
  return std::filesystem::is_directory(input) ? (std::filesystem::path(input) / "journal.json").string() : input;
}

// An interrupted shard makes the merged run interrupted: its missing
// experiments were never judged.
int interrupting_signal(const std::vector<ShardJournal>& shards) {
  for (const auto& shard : shards) {
    if (shard.run.exit_code == k_exit_sigint) return SIGINT;
    if (shard.run.exit_code == k_exit_sigterm) return SIGTERM;
  }
  return 0;
}

int run_merge(const MergeOptions& options) {
  const auto policy = parse_fail_on(options.fail_on);
  std::vector<ShardJournal> shards;
  for (const auto& input : options.inputs) shards.push_back({input, read_journal(journal_path(input))});
  RunResult merged = merge_journals(shards);
  merged.command_line = "chaosgate merge " + join(options.inputs, " ");
  decide_gate(merged, *policy, interrupting_signal(shards));
  spdlog::info("merged {} journal(s): {} experiments", shards.size(), merged.experiments.size());
  // The merge job publishes the one status of the whole gate (no shard in its name).
  StatusReporter status(options.status, detect_ci_context(), merged.environment, "");
  status.finished(merged);
  if (status.enabled()) status.summary(summary_markdown(merged, {{}, 999'000, options.html}));
  // A status that could not be published is in the reports, and a passing
  // gate is not green without it (see run_command.cpp).
  for (const auto& problem : status.problems()) merged.notices.push_back(problem);
  if (merged.gate == "passed" && *policy != FailOn::never && !status.problems().empty()) merged.exit_code = k_exit_environment;
  print_results(std::cout, merged);
  ReportOptions report_options;
  report_options.html = options.html;
  write_reports(merged, options.out, report_options);
  std::cout << "Reports in " << options.out << "/\n";
  return merged.exit_code;
}

}  // namespace

CommandSpec merge_command() {
  return {"merge", "Join the journals of --shard runs into one set of reports and one gate decision",
          "  chaosgate merge shard-1/ shard-2/ shard-3/ --out merged/\n"
          "  chaosgate merge out-*/journal.json --fail-on any",
          [](CLI::App& command) {
            auto options = std::make_shared<MergeOptions>();
            command.add_option("inputs", options->inputs, "Output directories of the shards (or their journal.json)")
                ->required();
            command.add_option("--out", options->out, "Directory for the merged reports")->capture_default_str();
            add_html_flag(command, options->html);
            command.add_option("--fail-on", options->fail_on, "Exit policy: regression (default), any, never")
                ->check(CLI::IsMember({"regression", "any", "never"}));
            add_status_options(command, options->status);
            return [options] { return run_merge(*options); };
          }};
}

}  // namespace chaosgate::cli
