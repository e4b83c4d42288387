#include "load/interpolate.h"

#include <cctype>
#include <cstdlib>

namespace chaosgate {

namespace {
bool valid_name(std::string_view name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}
}  // namespace

InterpolationResult interpolate(std::string_view text, const VariableLookup& lookup) {
  InterpolationResult result;
  result.text.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '$' || i + 1 >= text.size() || (text[i + 1] != '{' && text[i + 1] != '$')) {
      result.text += c;
      continue;
    }
    if (text[i + 1] == '$') {  // "$$" -> "$"
      result.text += '$';
      ++i;
      continue;
    }
    const std::size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      result.syntax_error = "unterminated \"${\" (write \"$$\" for a literal \"$\")";
      return result;
    }
    std::string_view inner = text.substr(i + 2, close - i - 2);
    std::optional<std::string_view> fallback;
    if (const auto sep = inner.find(":-"); sep != std::string_view::npos) {
      fallback = inner.substr(sep + 2);
      inner = inner.substr(0, sep);
    }
    if (!valid_name(inner)) {
      result.syntax_error = "invalid variable name \"" + std::string(inner) + "\" in \"${...}\"";
      return result;
    }
    const std::string name(inner);
    result.used.push_back(name);
    if (auto value = lookup(name)) {
      result.text += *value;
    } else if (fallback) {
      result.text += *fallback;
    } else {
      result.unset.push_back(name);
    }
    i = close;
  }
  return result;
}

std::optional<std::string> process_variable(const std::string& name) {
  if (const char* value = std::getenv(name.c_str())) return std::string(value);
  return std::nullopt;
}

}  // namespace chaosgate
