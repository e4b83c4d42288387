#include "sources/format.h"

#include <algorithm>
#include <cctype>

namespace chaosgate::sources {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::optional<std::string> format_from_extension(std::string_view path) {
  const auto name = lower(path.substr(path.find_last_of('/') + 1));
  if (name.ends_with(".json")) return "json";
  if (name.ends_with(".yaml") || name.ends_with(".yml")) return "yaml";
  return std::nullopt;
}

std::optional<std::string> format_from_content_type(std::string_view content_type) {
  const auto type = lower(content_type.substr(0, content_type.find(';')));
  if (type.find("json") != std::string::npos) return "json";
  if (type.find("yaml") != std::string::npos || type.find("yml") != std::string::npos) return "yaml";
  return std::nullopt;
}

std::string sniff_format(std::string_view content) {
  // A UTF-8 byte order mark is not content.
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  const auto first = content.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && (content[first] == '{' || content[first] == '[')) {
    return "json";
  }
  return "yaml";
}

}  // namespace chaosgate::sources
