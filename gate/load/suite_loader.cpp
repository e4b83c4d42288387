#include "load/suite_loader.h"

#include <functional>

#include "load/suite_checks.h"
#include "load/suite_decoder.h"
#include "util/sha256.h"
#include "util/text.h"

namespace chaosgate {

std::string suite_digest(const std::vector<SourceText>& files) {
  if (files.size() == 1) return files.front().content.sha256();
  Sha256 outer;
  for (const auto& file : files) outer.update(file.content.sha256() + "\n");
  return outer.hex_digest();
}

LoadResult load_suite(std::vector<SourceText> files, const LoadOptions& options) {
  LoadResult result;
  Diagnostics& diagnostics = result.diagnostics;
  Suite& suite = result.suite;
  suite.digest = suite_digest(files);

  // 1. Parse every file; a file that does not parse is reported and left out.
  // A JSON file's experiments are checked but not kept in its tree: each is
  // parsed again on its own when it is decoded (step 3), so a large suite is
  // never one tree (~17 MB for 10,000 experiments, whose text is 3.6 MB).
  // A tree holds copies of what it needs, so any other file's text is
  // released as soon as it is parsed, and a JSON file's pages go behind
  // each reading of it (util/paged_text.h: its text was the load's peak).
  struct ParsedFile {
    NodePtr root;
    PagedText text;                  // kept while deferred elements are still to be read
    std::vector<ValueStart> deferred;
  };
  std::vector<ParsedFile> parsed;
  for (auto& file : files) {
    suite.files.push_back(file.name);
    ParsedFile entry;
    entry.root = parse_document(file.name, file.content, file.format, diagnostics, options.limits, &entry.deferred);
    if (entry.root) {
      if (!entry.deferred.empty()) entry.text = std::move(file.content);
      parsed.push_back(std::move(entry));
    }
    file.content = PagedText();
  }

  // 2. Environments first: their variables feed ${VAR} in everything else.
  const DecodeContext env_context{diagnostics, options.process_variables};
  for (const auto& file : parsed) decode_environments(*file.root, env_context, suite.catalog.environments);
  const Environment* selected = suite.catalog.find_environment(options.environment);
  if (!suite.catalog.environments.empty() && !selected) {
    std::vector<std::string> names;
    for (const auto& environment : suite.catalog.environments) names.push_back(environment.name);
    std::string message = "environment " + in_quotes(options.environment) + " is not declared (declared: " + join(names, ", ") + ")";
    diagnostics.error(suite.catalog.environments.front().location, "catalog.environments", message);
  }
  // The suite's environment variables win over the process environment: the
  // suite names its staging endpoints; the process supplies secrets and ports.
  std::map<std::string, std::string> environment_variables = selected ? selected->variables : std::map<std::string, std::string>{};
  const VariableLookup lookup = [&](const std::string& name) -> std::optional<std::string> {
    if (const auto it = environment_variables.find(name); it != environment_variables.end()) return it->second;
    return options.process_variables(name);
  };

  // 3. Decode: every file's catalog, then the experiments, each checked as it
  // is decoded and kept, or handed to the caller's sink.
  const DecodeContext context{diagnostics, lookup};
  for (const auto& file : parsed) decode_catalog(*file.root, context, suite.catalog);
  check_catalog(suite.catalog, diagnostics);
  ExperimentChecks checks(suite.catalog, diagnostics);
  // Room for them all up front: growing by doubling held the old and the
  // new array at once, the peak of a large suite's load.
  std::size_t count = 0;
  for (const auto& file : parsed) count += experiments_in_tree(*file.root) + file.deferred.size();
  if (!options.each_experiment) suite.experiments.reserve(count);
  checks.expect(count);
  if (options.expect_experiments) options.expect_experiments(count);
  const ExperimentSink take = [&](Experiment&& experiment, const std::string& path) {
    checks.check(experiment, path);
    ++result.experiment_count;
    if (options.each_experiment) options.each_experiment(std::move(experiment));
    else suite.experiments.push_back(std::move(experiment));
  };
  for (auto& file : parsed) {
    DeferredItems deferred{file.deferred.size(), [&](const std::function<void(const Node&)>& each) {
      const FileName& name = *file.root->location.file;  // the tree's, shared by its elements' trees
      // What is decoded grows beside the text: the last reading gives back its pages as it goes.
      file.text.begin_reading(PagedText::Reading::last);
      for (const ValueStart& start : file.deferred) {
        file.text.passed(start.offset);  // in file order: what is before was read
        if (const NodePtr item = parse_json_value(name, file.text.view(), start, diagnostics, options.limits)) each(*item);
      }
    }};
    decode_suite_file(*file.root, context, suite, deferred, take);
    // Its tree and text freed here: moved from, not assigned an empty one
    // (a string assigned an empty string keeps its buffer: the whole text).
    [[maybe_unused]] const ParsedFile done = std::move(file);
  }
  if (parsed.size() == files.size() && !files.empty() && result.experiment_count == 0 && !diagnostics.has_errors())
    diagnostics.warning({files.front().name, 1, 1}, "experiments", "the suite has no experiments");
  diagnostics.sort_by_location();
  return result;
}

}  // namespace chaosgate
