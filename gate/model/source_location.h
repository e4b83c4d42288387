#pragma once
// Where a value came from in a suite file; every model element keeps one so
// diagnostics and reports (SARIF) can point at the exact line.
#include <string>

namespace chaosgate {

struct SourceLocation {
  std::string file;  // path as the user gave it (or the URL of a pulled suite)
  int line = 0;      // 1-based; 0 means unknown
  int column = 0;    // 1-based; 0 means unknown

  std::string to_string() const;  // "file:line:col", or "file" when unknown
};

}  // namespace chaosgate
