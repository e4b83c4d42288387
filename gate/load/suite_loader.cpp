#include "load/suite_loader.h"

#include "load/suite_checks.h"
#include "load/suite_decoder.h"
#include "util/sha256.h"
#include "util/text.h"

namespace chaosgate {

std::string suite_digest(const std::vector<SourceText>& files) {
  if (files.size() == 1) return sha256_hex(files.front().content);
  Sha256 outer;
  for (const auto& file : files) outer.update(sha256_hex(file.content) + "\n");
  return outer.hex_digest();
}

LoadResult load_suite(std::vector<SourceText> files, const LoadOptions& options) {
  LoadResult result;
  Diagnostics& diagnostics = result.diagnostics;
  Suite& suite = result.suite;
  suite.digest = suite_digest(files);

  // 1. Parse every file; a file that does not parse is reported and left out.
  // The tree holds copies of what it needs, so a file's text is released as
  // soon as it is parsed: it is not part of the load's peak (the trees and
  // the decoded suite together).
  std::vector<NodePtr> roots;
  for (auto& file : files) {
    suite.files.push_back(file.name);
    if (auto root = parse_document(file.name, file.content, file.format, diagnostics, options.limits))
      roots.push_back(std::move(root));
    std::string().swap(file.content);
  }

  // 2. Environments first: their variables feed ${VAR} in everything else.
  const DecodeContext env_context{diagnostics, options.process_variables};
  for (const auto& root : roots) decode_environments(*root, env_context, suite.catalog.environments);
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

  // 3. Decode, then cross-check.
  const DecodeContext context{diagnostics, lookup};
  for (const auto& root : roots) decode_suite_file(*root, context, suite);
  if (roots.size() == files.size() && !files.empty() && suite.experiments.empty() && !diagnostics.has_errors())
    diagnostics.warning({files.front().name, 1, 1}, "experiments", "the suite has no experiments");
  check_suite(suite, diagnostics);
  diagnostics.sort_by_location();
  return result;
}

}  // namespace chaosgate
