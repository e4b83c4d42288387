#include "cli/suite_input.h"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "sources/suite_source.h"
#include "util/errors.h"
#include "util/text.h"
#include "vcs/git_changes.h"

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
                     "Keep only matching experiments: ID-GLOB, team:T, service:S, tag:X, group:G (repeatable); "
                     "one that matches nothing in the suite is an error")
      ->delimiter(',');
  command.add_option("--skip", options.skip, "Leave out matching experiments (same forms as --only)")->delimiter(',');
  command.add_option("--shard", options.shard, "Take shard I of N (I/N), balanced by estimated duration");
  command.add_option("--include-status", options.include_status,
                     "Lifecycle statuses to run (default: promoted); e.g. promoted,candidate")
      ->delimiter(',')
      ->check(CLI::IsMember({"draft", "candidate", "promoted", "retired"}));
  auto* files = command.add_option("--changed-files", options.changed_files,
                                   "Merge-request scope: run only experiments of services whose `paths` match these "
                                   "changed files (one repository path a line; - for stdin), plus those marked always")
                   ->option_text("FILE");
  auto* since = command.add_option("--changed-since", options.changed_since,
                                   "Merge-request scope from git: the files changed on HEAD since its merge base with REF")
                   ->option_text("REF");
  auto* detect = command.add_flag("--merge-request-scope", options.merge_request_scope,
                                  "Merge-request scope from git against the CI target branch, when the pipeline is for a "
                                  "merge request (GitLab, GitHub, Jenkins); elsewhere everything selected runs");
  files->excludes(since)->excludes(detect);
  since->excludes(detect);
}

namespace {

// One path a line; blank lines and CRs (files written on Windows) are ignored.
std::vector<std::string> read_changed_files(const std::string& path) {
  std::ifstream file;
  if (path != "-") {
    std::error_code error;
    if (std::filesystem::is_directory(path, error))
      throw UserError("--changed-files " + path + ": is a directory; give a file with one changed path a line");
    file.open(path, std::ios::binary);
    if (!file) throw UserError("--changed-files " + path + ": cannot read it: " + std::strerror(errno));
  }
  std::istream& in = path == "-" ? std::cin : file;
  std::vector<std::string> files;
  std::string line;
  while (std::getline(in, line)) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    files.push_back(line.substr(first, line.find_last_not_of(" \t\r") - first + 1));
  }
  if (in.bad()) throw UserError("--changed-files " + path + ": read failed: " + std::strerror(errno));
  return files;
}

// The base commit of a merge request in `ci`, or nullopt when it is not one.
std::optional<std::string> merge_request_base(const CiContext& ci) {
  const auto target = ci.values.find("target_branch");
  if (target == ci.values.end()) return std::nullopt;
  // GitLab computed the merge base already; it may be absent from older pipelines.
  const char* gitlab_base = ci.system == "gitlab" ? std::getenv("CI_MERGE_REQUEST_DIFF_BASE_SHA") : nullptr;
  if (gitlab_base && *gitlab_base) return std::string(gitlab_base);
  return vcs::merge_base_with_branch(target->second);
}

// The changed files the options ask for; nullopt: no merge-request scope.
std::optional<std::vector<std::string>> changed_files_of(const SelectionOptions& options, const CiContext& ci) {
  if (!options.changed_files.empty()) return read_changed_files(options.changed_files);
  std::optional<std::string> base;
  if (!options.changed_since.empty()) {
    base = vcs::merge_base(options.changed_since);
  } else if (options.merge_request_scope) {
    base = merge_request_base(ci);
    if (!base) {
      spdlog::info("--merge-request-scope: not a merge request ({} CI, no target branch): every selected experiment runs", ci.system);
      return std::nullopt;
    }
  } else {
    return std::nullopt;
  }
  auto files = vcs::changed_files(*base);
  spdlog::info("merge-request scope: {} file(s) changed on HEAD since {}", files.size(), base->substr(0, 12));
  return files;
}

}  // namespace

SelectionCriteria SelectionOptions::criteria(const CiContext& ci) const {
  SelectionCriteria criteria;
  for (const auto& text : only) criteria.only.push_back(parse_selector(text));
  for (const auto& text : skip) criteria.skip.push_back(parse_selector(text));
  if (!shard.empty()) criteria.shard = parse_shard(shard);
  if (!include_status.empty()) {
    criteria.statuses.clear();
    for (const auto& status : include_status) criteria.statuses.push_back(nlohmann::json(status).get<LifecycleStatus>());
  }
  criteria.changed_files = changed_files_of(*this, ci);
  return criteria;
}

LoadResult fetch_and_load(const std::string& spec, const SuiteInputOptions& options, const Cancellation* stop,
                          std::function<void(Experiment&&)> each_experiment,
                          std::function<void(std::size_t)> expect_experiments) {
  http::ClientOptions client_options;
  client_options.ca_bundle = options.ca_bundle;
  std::shared_ptr<http::HttpClient> client = http::make_curl_client(client_options);
  auto source = sources::make_suite_source(spec, client);
  spdlog::debug("reading suite from {}", source->describe());
  sources::FetchOptions fetch;
  fetch.auth_header_env = options.auth_header_env;
  fetch.stop = stop;
  fetch.copy_dir = options.copy_dir;
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
  load_options.each_experiment = std::move(each_experiment);
  load_options.expect_experiments = std::move(expect_experiments);
  return load_suite(std::move(texts), load_options);
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
