#pragma once
// The options every suite-reading command shares (--suite and friends), and
// fetching + loading a suite through them.
#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "cli/ci_context.h"
#include "engine/cancellation.h"
#include "load/suite_loader.h"
#include "plan/selection.h"

namespace chaosgate::cli {

struct SuiteInputOptions {
  std::string environment = "staging";
  std::string sha256;            // --suite-sha256: pin of the exact bytes
  std::string ca_bundle;         // --ca-bundle
  std::string auth_header_env;   // --suite-auth-header-env
  std::size_t max_bytes = 16 * 1024 * 1024;
  // Where a local suite file's bytes are copied to be read, its pages given
  // back as they are read (util/paged_text.h); empty: read into memory.
  std::string copy_dir;
};

// Adds --env, --suite-sha256, --ca-bundle, --suite-auth-header-env to `command`.
void add_suite_input_options(CLI::App& command, SuiteInputOptions& options);

// Adds --only, --skip, --shard, --include-status and the merge-request scope
// (--changed-files, --changed-since, --merge-request-scope); call criteria()
// after parsing.
struct SelectionOptions {
  std::vector<std::string> only, skip, include_status;
  std::string shard;
  std::string changed_files;  // a file of paths, one a line; "-" for stdin
  std::string changed_since;  // a git ref: the change is HEAD since its merge base
  bool merge_request_scope = false;  // scope by the CI context's target branch, when a merge request
  // Reads the changed files (the file, or git) when asked to. `ci` says
  // whether this is a merge request (target_branch) and against what. Throws
  // UserError on a bad selector or shard, an unreadable file or failing git.
  SelectionCriteria criteria(const CiContext& ci = detect_ci_context()) const;
};
void add_selection_options(CLI::App& command, SelectionOptions& options);

// Fetches `spec` (file, directory, URL, gitlab://) and loads it. Throws
// UserError (exit 2) when the pin does not match, UnreachableError (exit 3)
// when the source cannot be reached or a download was given up because
// `stop` was cancelled. Diagnostics are returned, not printed. Experiments go
// to `each_experiment` when it is set, their number first to
// `expect_experiments` (LoadOptions).
LoadResult fetch_and_load(const std::string& spec, const SuiteInputOptions& options, const Cancellation* stop = nullptr,
                          std::function<void(Experiment&&)> each_experiment = {},
                          std::function<void(std::size_t)> expect_experiments = {});

// Prints diagnostics to stderr and throws UserError when there are errors;
// warnings are logged. For commands other than validate.
const Suite& require_valid(const LoadResult& result);

}  // namespace chaosgate::cli
