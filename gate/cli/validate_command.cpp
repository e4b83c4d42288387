#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/suite_input.h"
#include "util/errors.h"

namespace chaosgate::cli {

namespace {

struct ValidateOptions {
  std::vector<std::string> sources;
  SuiteInputOptions input;
  bool strict = false;
  std::string format = "text";
};

nlohmann::json to_json(const Diagnostic& d) {
  return {{"severity", d.severity == Severity::error ? "error" : "warning"},
          {"file", d.location.file.str()},
          {"line", d.location.line},
          {"column", d.location.column},
          {"path", d.path},
          {"message", d.message}};
}

int run_validate(const ValidateOptions& options) {
  std::size_t errors = 0, warnings = 0;
  nlohmann::json report = nlohmann::json::array();
  for (const auto& source : options.sources) {
    Diagnostics diagnostics;
    std::size_t experiments = 0;
    try {
      // Each experiment checked and dropped: a suite of any size is linted in
      // the memory of one experiment (and the ids, for uniqueness).
      const LoadResult result = fetch_and_load(source, options.input, nullptr, [](Experiment&&) {});
      diagnostics = result.diagnostics;
      experiments = result.experiment_count;
    } catch (const UnreachableError&) {
      throw;  // inconclusive: exit 3 even when other sources were fine
    } catch (const UserError& e) {
      diagnostics.error({source, 0, 0}, "", e.what());
    }
    errors += diagnostics.error_count();
    warnings += diagnostics.warning_count();
    if (options.format == "json") {
      nlohmann::json entry = {{"source", source}, {"experiments", experiments}, {"diagnostics", nlohmann::json::array()}};
      for (const auto& d : diagnostics.items()) entry["diagnostics"].push_back(to_json(d));
      report.push_back(entry);
    } else {
      for (const auto& d : diagnostics.items()) std::cout << d.to_string() << '\n';
      if (!diagnostics.has_errors())
        std::cout << source << ": ok (" << experiments << " experiments"
                  << (diagnostics.warning_count() ? ", " + std::to_string(diagnostics.warning_count()) + " warning(s)" : "")
                  << ")\n";
    }
  }
  if (options.format == "json") {
    std::cout << nlohmann::json{{"errors", errors}, {"warnings", warnings}, {"sources", report}}.dump(2) << '\n';
  } else if (errors || warnings) {
    std::cout << errors << " error(s), " << warnings << " warning(s)\n";
  }
  return errors || (options.strict && warnings) ? k_exit_usage : k_exit_passed;
}

}  // namespace

CommandSpec validate_command() {
  return {"validate", "Lint suites: every problem at once, as file:line:col: error: path: message",
          "  chaosgate validate examples/shop-suite.yaml\n"
          "  chaosgate validate --strict --env staging suites/\n"
          "  chaosgate validate --format json https://chaos.example.com/suites/shop.yaml",
          [](CLI::App& command) {
            auto options = std::make_shared<ValidateOptions>();
            command.add_option("SRC", options->sources, "Suite file, directory, http(s) URL or gitlab://project//path@ref")
                ->required();
            add_suite_input_options(command, options->input);
            command.add_flag("--strict", options->strict, "Warnings fail too");
            command.add_option("--format", options->format, "Output format")->check(CLI::IsMember({"text", "json"}));
            return [options] { return run_validate(*options); };
          }};
}

}  // namespace chaosgate::cli
