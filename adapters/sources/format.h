#pragma once
// Which parser a suite file needs: "json" or "yaml".
#include <optional>
#include <string>
#include <string_view>

namespace chaosgate::sources {

// From a path's extension (.json, .yaml, .yml; case-insensitive), or nullopt.
std::optional<std::string> format_from_extension(std::string_view path);

// From a Content-Type header ("application/json", "application/yaml",
// "text/x-yaml", ...), or nullopt.
std::optional<std::string> format_from_content_type(std::string_view content_type);

// By content: "json" when the first non-space character is '{' or '[', else "yaml".
std::string sniff_format(std::string_view content);

}  // namespace chaosgate::sources
