#pragma once
// From the bytes of one or more files to a checked Suite.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "load/document.h"
#include "load/interpolate.h"
#include "model/suite.h"
#include "util/diagnostics.h"

namespace chaosgate {

struct SourceText {
  std::string name;     // shown in diagnostics
  PagedText content;    // raw bytes: in memory, or a copy whose pages go as they are read
  std::string format;   // "json" or "yaml"
};

struct LoadOptions {
  std::string environment = "staging";  // whose variables feed ${VAR}
  VariableLookup process_variables = process_variable;
  ParseLimits limits;
  // When set, each experiment, checked, is handed here as it is decoded
  // instead of being kept in Suite::experiments (`validate` holds none).
  std::function<void(Experiment&&)> each_experiment;
  // When set, told how many experiments the files hold (at most: one that
  // does not decode is not handed on) before the first is handed on, so
  // that what keeps something of each can be made to size at once.
  std::function<void(std::size_t)> expect_experiments;
};

struct LoadResult {
  Suite suite;                       // complete only when diagnostics has no error (and
                                     // without experiments when they were handed on)
  std::size_t experiment_count = 0;  // decoded, kept or handed to LoadOptions::each_experiment
  Diagnostics diagnostics;           // every problem, in file order
  bool ok() const { return !diagnostics.has_errors(); }
};

// Parses, interpolates, decodes and cross-checks. Files are merged in the
// order given (catalog lists and experiments concatenate). Never throws for
// bad input: everything lands in `diagnostics`. The files are taken by value
// and each text is released once parsed: move them in when they are not
// needed after (a 10,000-experiment suite's text is 3.6 MB).
LoadResult load_suite(std::vector<SourceText> files, const LoadOptions& options = {});

// The suite digest: sha256 of the file for one file; for several, sha256 of
// the newline-joined sha256 of each file in merge order.
std::string suite_digest(const std::vector<SourceText>& files);

}  // namespace chaosgate
