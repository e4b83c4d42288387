#include "cli/suite_input.h"

#include <spdlog/spdlog.h>


#include "sources/suite_source.h"
#include "util/errors.h"
#include "util/text.h"

namespace chaosgate::cli {

void add_suite_input_options(CLI::App& command, SuiteInputOptions& options) {
  command.add_option("--env", options.environment, "Environment whose variables feed ${VAR} (catalog.environments)")
      ->capture_default_str();
  command.add_option("--suite-sha256", options.sha256, "Refuse the suite unless its sha256 digest is exactly this");
  command.add_option("--ca-bundle", options.ca_bundle, "PEM file of CA certificates for https:// suites")
      ->check(CLI::ExistingFile);
  command.add_option("--suite-auth-header-env", options.auth_header_env,
                     "Environment variable holding a header line for http(s) suites, e.g. \"Authorization: Bearer ...\"");
}

void add_selection_options(CLI::App& command, SelectionOptions& options) {
  command.add_option("--only", options.only,
                     "Keep only matching experiments: ID-GLOB, team:T, service:S, tag:X, group:G (repeatable)")
      ->delimiter(',');
  command.add_option("--skip", options.skip, "Leave out matching experiments (same forms as --only)")->delimiter(',');
  command.add_option("--shard", options.shard, "Take shard I of N (I/N), balanced by estimated duration");
  command.add_option("--include-status", options.include_status,
                     "Lifecycle statuses to run (default: promoted); e.g. promoted,candidate")
      ->delimiter(',')
      ->check(CLI::IsMember({"draft", "candidate", "promoted", "retired"}));
}

SelectionCriteria SelectionOptions::criteria() const {
  SelectionCriteria criteria;
  for (const auto& text : only) criteria.only.push_back(parse_selector(text));
  for (const auto& text : skip) criteria.skip.push_back(parse_selector(text));
  if (!shard.empty()) criteria.shard = parse_shard(shard);
  if (!include_status.empty()) {
    criteria.statuses.clear();
    for (const auto& status : include_status) criteria.statuses.push_back(nlohmann::json(status).get<LifecycleStatus>());
  }
  return criteria;
}

LoadResult fetch_and_load(const std::string& spec, const SuiteInputOptions& options) {
  http::ClientOptions client_options;
  client_options.ca_bundle = options.ca_bundle;
  std::shared_ptr<http::HttpClient> client = http::make_curl_client(client_options);
  auto source = sources::make_suite_source(spec, client);
  spdlog::debug("reading suite from {}", source->describe());
  sources::FetchOptions fetch;
  fetch.auth_header_env = options.auth_header_env;
  // One byte over the parse limit, so the loader reports the size with the file name.
  fetch.max_bytes = options.max_bytes + 1;
  std::vector<SourceText> texts;
  for (auto& file : source->fetch(fetch)) texts.push_back({std::move(file.name), std::move(file.content), std::move(file.format)});

  if (!options.sha256.empty()) {
    const std::string actual = suite_digest(texts);
    std::string expected = options.sha256;
    std::transform(expected.begin(), expected.end(), expected.begin(), [](unsigned char c) { return std::tolower(c); });
    if (expected.rfind("sha256:", 0) == 0) expected.erase(0, 7);
    if (actual != expected)
      throw UserError(source->describe() + ": suite digest mismatch: expected sha256 " + expected + ", got " + actual +
                      "; nothing was run");
  }
  LoadOptions load_options;
  load_options.environment = options.environment;
  load_options.limits.max_bytes = options.max_bytes;
  return load_suite(texts, load_options);
}

const Suite& require_valid(const LoadResult& result) {
  for (const auto& diagnostic : result.diagnostics.items())
    if (diagnostic.severity == Severity::warning) spdlog::warn("{}", diagnostic.to_string());
  if (!result.ok()) {
    // Through the logger: with --log-format json every stderr line stays JSON.
    for (const auto& diagnostic : result.diagnostics.items())
      if (diagnostic.severity == Severity::error) spdlog::error("{}", diagnostic.to_string());
    throw UserError("the suite has " + std::to_string(result.diagnostics.error_count()) +
                    " error(s); run `chaosgate validate` for details");
  }
  return result.suite;
}

}  // namespace chaosgate::cli
