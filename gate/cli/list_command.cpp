#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/command.h"
#include "cli/suite_input.h"
#include "cli/table.h"
#include "engine/experiment_info.h"
#include "plan/planner.h"
#include "util/errors.h"
#include "util/text.h"

namespace chaosgate::cli {

namespace {

struct ListOptions {
  std::string source;
  SuiteInputOptions input;
  SelectionOptions selection;
  int parallel = 16;
  std::string format = "text";
};

nlohmann::json plan_json(const Suite& suite, const ListOptions& options, const SelectionCriteria& criteria,
                         const Selection& selection, const Plan& plan) {
  nlohmann::json out;
  out["suite"] = {{"name", suite.name}, {"version", suite.version}, {"digest", suite.digest}, {"files", suite.files}};
  out["environment"] = options.input.environment;
  out["shard"] = {{"index", criteria.shard.index}, {"count", criteria.shard.count}};
  out["parallel"] = plan.parallel;
  if (const auto& scope = selection.change_scope)
    out["changeScope"] = {{"changedFiles", scope->changed_files},
                          {"touchedServices", scope->touched_services},
                          {"summary", scope->describe()}};
  out["experiments"] = nlohmann::json::array();
  for (std::size_t i = 0; i < plan.entries.size(); ++i) {
    const auto& entry = plan.entries[i];
    const Experiment& e = suite.experiments[entry.experiment->index];
    out["experiments"].push_back(
        {{"order", i + 1},
         {"id", e.id},
         {"title", e.title},
         {"owner", e.owner},
         {"service", e.service},
         {"targets", e.targets},
         {"attackGroup", e.attack_group},
         {"status", e.status},
         // What the journal records for promotion: tooling can tell a changed experiment.
         {"definitionDigest", definition_digest(e)},
         {"risk",
          {{"likelihood", e.risk.likelihood},
           {"impact", e.risk.impact},
           {"score", e.risk.score()},
           {"level", suite.catalog.risk_matrix.level(e.risk.likelihood, e.risk.impact)}}},
         {"estimatedMs", entry.estimated.count()},
         {"startMs", entry.start.count()},
         {"waitsFor", plan.waits_for(i)}});
  }
  out["skipped"] = nlohmann::json::array();
  for (const auto& skipped : selection.skipped) out["skipped"].push_back({{"id", skipped.experiment->id}, {"reason", skipped.reason}});
  out["estimate"] = {{"wallMs", plan.estimated_wall.count()},
                     {"criticalPathMs", plan.critical_path.count()},
                     {"busiestTarget", plan.busiest_target},
                     {"sequentialSumMs", plan.sequential_sum.count()}};
  return out;
}

void print_text(const Suite& suite, const ListOptions& options, const SelectionCriteria& criteria,
                const Selection& selection, const Plan& plan) {
  std::ostream& out = std::cout;
  out << "Suite " << (suite.name.empty() ? "(unnamed)" : suite.name) << (suite.version.empty() ? "" : " " + suite.version)
      << " (sha256 " << suite.digest.substr(0, 12) << "), environment " << options.input.environment;
  if (criteria.shard.count > 1) out << ", shard " << criteria.shard.index << "/" << criteria.shard.count;
  out << ": " << selection.selected.size() << " of " << suite.experiments.size() << " experiments selected\n";
  if (selection.change_scope) out << "Merge-request scope: " << selection.change_scope->describe() << '\n';
  if (!plan.entries.empty()) {
    out << '\n';
    print_table(out, plan.entries.size() + 1, [&](std::size_t r) -> std::vector<std::string> {
      if (r == 0) return {"#", "start", "est.", "experiment", "owner", "service", "targets", "waits for"};
      const auto& entry = plan.entries[r - 1];
      const Experiment& e = suite.experiments[entry.experiment->index];
      const auto waits_for = plan.waits_for(r - 1);
      return {std::to_string(r), format_duration(entry.start), format_duration(entry.estimated), e.id, e.owner,
              e.service, join(e.targets, ","), waits_for.empty() ? "-" : join(waits_for, ",")};
    });
    out << "\nEstimated wall time " << format_duration(plan.estimated_wall) << " with --parallel " << plan.parallel
        << " (critical path " << format_duration(plan.critical_path)
        << (plan.busiest_target.empty() ? "" : " on target " + plan.busiest_target) << "; sequential sum "
        << format_duration(plan.sequential_sum) << ")\n";
  }
  if (!selection.skipped.empty()) {
    out << "\nNot selected (" << selection.skipped.size() << "):\n";
    print_table(out, selection.skipped.size(), [&](std::size_t r) -> std::vector<std::string> {
      return {std::string(selection.skipped[r].experiment->id), selection.skipped[r].reason};
    });
  }
}

int run_list(const ListOptions& options) {
  const SelectionCriteria criteria = options.selection.criteria();
  const LoadResult loaded = fetch_and_load(options.source, options.input);
  const Suite& suite = require_valid(loaded);
  const Outlines outlines = outlines_of(suite.experiments);
  const Selection selection = select_experiments(suite, outlines.list, criteria);
  const Plan plan = make_plan(selection.selected, options.parallel);
  if (options.format == "json")
    std::cout << plan_json(suite, options, criteria, selection, plan).dump(2) << '\n';
  else
    print_text(suite, options, criteria, selection, plan);
  return k_exit_passed;
}

}  // namespace

CommandSpec list_command() {
  return {"list", "Show what `run` would execute: selection, order, parallel groups, estimated time",
          "  chaosgate list examples/shop-suite.yaml\n"
          "  chaosgate list examples/shop-suite.yaml --only team:checkout --skip 'legacy-*'\n"
          "  chaosgate list suites/ --shard 2/3 --format json\n"
          "  chaosgate list examples/shop-suite.yaml --changed-since origin/main",
          [](CLI::App& command) {
            auto options = std::make_shared<ListOptions>();
            command.add_option("SRC", options->source, "Suite file, directory, http(s) URL or gitlab://project//path@ref")
                ->required();
            add_suite_input_options(command, options->input);
            add_selection_options(command, options->selection);
            command.add_option("--parallel", options->parallel, "At most this many experiments at once")
                ->check(CLI::Range(1, 256))
                ->capture_default_str();
            command.add_option("--format", options->format, "Output format")->check(CLI::IsMember({"text", "json"}));
            return [options] { return run_list(*options); };
          }};
}

}  // namespace chaosgate::cli
