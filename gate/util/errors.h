#pragma once
// The three tiers (see ARCHITECTURE.md): user mistakes are UserError, caught
// once in the CLI and turned into exit 2; outside systems failing are values
// (Result) handled where they happen; broken invariants are asserts.
#include <stdexcept>
#include <string>

#include "util/diagnostics.h"

namespace chaosgate {

enum ExitCode : int {
  k_exit_passed = 0,
  k_exit_regression = 1,
  k_exit_usage = 2,         // usage, config or suite error
  k_exit_environment = 3,   // environment or infrastructure error: inconclusive
  k_exit_sigint = 130,
  k_exit_sigterm = 143,
};

// A mistake in what the user gave us (flag, file, suite). The message is
// complete and printable as is; `diagnostics` may carry more detail.
class UserError : public std::runtime_error {
public:
  explicit UserError(const std::string& message, int exit_code = k_exit_usage)
      : std::runtime_error(message), m_exit_code(exit_code) {}
  UserError(const std::string& message, Diagnostics diagnostics)
      : std::runtime_error(message), m_exit_code(k_exit_usage),
        m_diagnostics(std::move(diagnostics)) {}
  int exit_code() const { return m_exit_code; }
  const Diagnostics& diagnostics() const { return m_diagnostics; }

private:
  int m_exit_code;
  Diagnostics m_diagnostics;
};

// The source of a suite or another outside system could not be reached:
// inconclusive, exit 3.
class UnreachableError : public UserError {
public:
  explicit UnreachableError(const std::string& message) : UserError(message, k_exit_environment) {}
};

}  // namespace chaosgate
