#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/suite_input.h"
#include "cli/table.h"
#include "insight/coverage.h"
#include "util/errors.h"
#include "util/text.h"

namespace chaosgate::cli {

namespace {

struct CoverageOptions {
  std::string source;
  SuiteInputOptions input;
  std::string format = "table";
};

void print_coverage(std::ostream& out, const Suite& suite, const insight::Coverage& coverage) {
  out << "Coverage of suite " << suite.name << " by its " << coverage.promoted_experiments
      << " promoted experiment(s): " << coverage.blind_spots() << " of " << coverage.categories.size()
      << " incident categories are blind spots\n\n";
  std::vector<std::vector<std::string>> rows = {{"", "category", "promoted", "services", "incidents", "note"}};
  for (const auto& c : coverage.categories)
    rows.push_back({c.blind_spot() ? "BLIND SPOT" : "covered", c.id, std::to_string(c.experiments.size()),
                    c.services.empty() ? "-" : join(c.services, ","), c.incidents.empty() ? "-" : join(c.incidents, ","),
                    c.blind_spot() ? insight::candidates_note(c) : std::string()});
  print_table(out, rows);

  out << "\nPromoted experiments per attack group and service ('-' = none):\n";
  std::vector<std::string> header = {"attack group"};
  header.insert(header.end(), coverage.services.begin(), coverage.services.end());
  rows = {header};
  for (std::size_t g = 0; g < coverage.attack_groups.size(); ++g) {
    std::vector<std::string> row = {enum_name(coverage.attack_groups[g])};
    for (const int count : coverage.promoted[g]) row.push_back(count == 0 ? "-" : std::to_string(count));
    rows.push_back(std::move(row));
  }
  print_table(out, rows);
}

int run_coverage(const CoverageOptions& options) {
  // Coverage reads the outlines alone: the experiments are not kept.
  Outlines outlines;
  const LoadResult loaded = fetch_and_load(options.source, options.input, nullptr, [&](Experiment&& experiment) {
    outlines.list.push_back(outline_of(experiment, static_cast<std::uint32_t>(outlines.list.size()), outlines.names));
  }, [&](std::size_t count) { outlines.list.reserve(count); });
  const Suite& suite = require_valid(loaded);
  const auto coverage = insight::build_coverage(suite.catalog, outlines.list);
  if (options.format == "json") {
    nlohmann::json document = coverage;
    document["suite"] = {{"name", suite.name}, {"version", suite.version}, {"digest", suite.digest}};
    std::cout << document.dump(2) << '\n';
  } else {
    print_coverage(std::cout, suite, coverage);
  }
  return k_exit_passed;
}

}  // namespace

CommandSpec coverage_command() {
  return {"coverage", "Which incident categories and attack groups the promoted experiments cover; blind spots first",
          "  chaosgate coverage --suite examples/shop-suite.yaml\n"
          "  chaosgate coverage --suite suites/ --format json\n"
          "Only promoted experiments count (they are what the gate runs); draft and candidate experiments\n"
          "in an uncovered category are named as the ones that would cover it.",
          [](CLI::App& command) {
            auto options = std::make_shared<CoverageOptions>();
            command.add_option("--suite", options->source, "Suite file, directory, http(s) URL or gitlab://project//path@ref")
                ->required();
            add_suite_input_options(command, options->input);
            command.add_option("--format", options->format, "Output format")
                ->check(CLI::IsMember({"table", "json"}))
                ->capture_default_str();
            return [options] { return run_coverage(*options); };
          }};
}

}  // namespace chaosgate::cli
