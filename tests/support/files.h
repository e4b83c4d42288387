#pragma once
// Reading repository files in tests.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "load/suite_loader.h"

namespace chaosgate::test {

// The whole file, byte for byte; "" when it cannot be read.
inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline std::string read_repo_file(const std::string& relative) {
  return read_file(std::string(CHAOSGATE_SOURCE_DIR) + "/" + relative);
}

// A SourceText named by its repository-relative path, format from the extension.
inline SourceText repo_source(const std::string& relative) {
  const bool json = relative.size() > 5 && relative.substr(relative.size() - 5) == ".json";
  return {relative, read_repo_file(relative), json ? "json" : "yaml"};
}

// The example suite's experiments, as loaded (a test failure when it does not load).
inline std::vector<Experiment> example_experiments() {
  const LoadResult loaded = load_suite({repo_source("examples/shop-suite.yaml")}, {});
  EXPECT_TRUE(loaded.ok()) << loaded.diagnostics.items().front().to_string();
  return loaded.suite.experiments;
}

}  // namespace chaosgate::test
