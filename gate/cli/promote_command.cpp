#include <filesystem>
#include <iostream>
#include <map>

#include "cli/command.h"
#include "cli/journal_input.h"
#include "cli/suite_input.h"
#include "insight/promotion.h"
#include "insight/suite_edit.h"
#include "util/atomic_file.h"
#include "util/errors.h"
#include "util/file_text.h"
#include "util/text.h"

namespace chaosgate::cli {

namespace {

struct PromoteOptions {
  std::string source;
  SuiteInputOptions input;
  std::vector<std::string> runs;
  insight::PromotionRules rules;
  bool write = false;
};

std::string read_whole_file(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error))
    throw UserError(path + ": --write rewrites local suite files only; this suite was not read from one");
  FileText file = read_file_text(path);
  if (!file) throw UserError(path + ": cannot read the suite file: " + file.reason);
  return std::move(file.text);
}

struct FileChange {
  std::string before;
  std::string after;
};

// Every change applied to its file's text, nothing written yet: all files
// are checked before any is touched.
std::map<std::string, FileChange> edited_files(const insight::PromotionPlan& plan) {
  std::map<std::string, std::vector<insight::ScalarEdit>> edits;
  for (const auto& change : plan.changes) {
    if (change.at.line == 0)
      throw UserError(change.experiment + ": its status is not written in the suite (the default applies); add " +
                      "`status: " + enum_name(change.from) + "` to let promote change it");
    edits[change.at.file].push_back({change.at, enum_name(change.from), enum_name(change.to)});
  }
  std::map<std::string, FileChange> files;
  for (const auto& [file, file_edits] : edits) {
    std::string before = read_whole_file(file);
    std::string after = insight::apply_scalar_edits(before, file_edits);
    files[file] = {std::move(before), std::move(after)};
  }
  return files;
}

void print_plan(std::ostream& out, const Suite& suite, const std::vector<insight::JournalRun>& journals,
                const insight::PromotionPlan& plan, const insight::PromotionRules& rules) {
  std::vector<std::string> files;
  for (const auto& journal : journals) files.push_back(journal.file);
  out << "Promotion in suite " << suite.name << " over " << journals.size() << " run(s), oldest first: "
      << join(files, ", ") << "\nRules: " << rules.min_passes << " consecutive passes promote a candidate; "
      << rules.demote_after << " consecutive regressions send a promoted experiment back to candidate.\n\n";
  for (const auto& change : plan.changes)
    out << (change.to == LifecycleStatus::promoted ? "promote  " : "demote   ") << change.experiment << ": "
        << enum_name(change.from) << " -> " << enum_name(change.to) << ", " << change.reason << '\n';
  for (const auto& kept : plan.unchanged)
    out << "keep     " << kept.experiment << ": " << enum_name(kept.status) << ", " << kept.reason << '\n';
  if (plan.changes.empty() && plan.unchanged.empty()) out << "No candidate experiments in the suite.\n";
}

int run_promote(const PromoteOptions& options) {
  if (options.rules.min_passes < 1 || options.rules.demote_after < 1)
    throw UserError("--min-passes and --demote-after must be at least 1");
  const LoadResult loaded = fetch_and_load(options.source, options.input);
  const Suite& suite = require_valid(loaded);
  const auto journals = read_journals(options.runs);
  const auto refused = insight::refused_journals(suite, journals);
  if (!refused.empty()) {
    for (const auto& why : refused) std::cerr << "refused: " << why << '\n';
    throw UserError("promote: " + std::to_string(refused.size()) + " journal(s) cannot count towards promotion; " +
                    "leave them out or use runs of this suite in a test environment");
  }
  const auto plan = insight::plan_promotion(suite, journals, options.rules);
  print_plan(std::cout, suite, journals, plan, options.rules);
  if (plan.changes.empty()) return k_exit_passed;

  const auto files = edited_files(plan);
  std::cout << '\n';
  for (const auto& [file, change] : files) std::cout << insight::unified_diff_same_lines(file, change.before, change.after);
  if (!options.write) {
    std::cout << "\nNothing written: --write applies these " << plan.changes.size() << " change(s).\n";
    return k_exit_passed;
  }
  for (const auto& [file, change] : files) {
    std::error_code ignored;
    const auto mode = std::filesystem::status(file, ignored).permissions();
    AtomicFile out(file);
    out.append(change.after);
    out.commit();
    // The rewrite is a new file: give it the suite file's own permissions back.
    if (mode != std::filesystem::perms::unknown) std::filesystem::permissions(file, mode, ignored);
    std::cout << "\nWrote " << file << '\n';
  }
  return k_exit_passed;
}

}  // namespace

CommandSpec promote_command() {
  return {"promote", "Candidates that passed the last N test runs become promoted; repeated regressions go back to candidate",
          "  chaosgate promote --suite examples/shop-suite.yaml --runs run-1 run-2 run-3\n"
          "  chaosgate promote --suite suites/ --runs runs/*/journal.json --min-passes 5 --write\n"
          "Journals are run directories or journal.json files of `chaosgate run --include-status candidate`\n"
          "in a test environment. A run counts for an experiment only with its current definition (probes,\n"
          "actions, targets, timeouts). Without --write the changes are printed as a diff; with it the suite\n"
          "file is rewritten in place, changing only the status values (comments and layout are kept).",
          [](CLI::App& command) {
            auto options = std::make_shared<PromoteOptions>();
            command.add_option("--suite", options->source, "Suite file, directory, http(s) URL or gitlab://project//path@ref")
                ->required();
            add_suite_input_options(command, options->input);
            command.add_option("--runs", options->runs, "Journals (files or run directories) of test-environment runs")
                ->required();
            command.add_option("--min-passes", options->rules.min_passes, "Consecutive passing runs that promote a candidate")
                ->capture_default_str();
            command.add_option("--demote-after", options->rules.demote_after,
                               "Consecutive regressions that send a promoted experiment back to candidate")
                ->capture_default_str();
            command.add_flag("--write", options->write, "Rewrite the suite file(s) in place");
            return [options] { return run_promote(*options); };
          }};
}

}  // namespace chaosgate::cli
