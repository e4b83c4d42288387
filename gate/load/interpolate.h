#pragma once
// ${VAR} and ${VAR:-default} in suite strings; "$$" is a literal "$".
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chaosgate {

// Looks a variable up; nullopt when it is not set.
using VariableLookup = std::function<std::optional<std::string>(const std::string&)>;

struct InterpolationResult {
  std::string text;
  std::vector<std::string> unset;  // variables used without a default and not set
  std::string syntax_error;        // e.g. "unterminated ${"; empty when fine
  std::vector<std::string> used;   // every variable referenced, in order
};

InterpolationResult interpolate(std::string_view text, const VariableLookup& lookup);

// Lookup in the process environment.
std::optional<std::string> process_variable(const std::string& name);

}  // namespace chaosgate
