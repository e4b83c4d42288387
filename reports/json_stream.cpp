#include "json_stream.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace chaosgate {

std::string dump_json(const nlohmann::json& value) {
  return value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

void append_indented(AtomicFile& file, std::string_view text, std::string_view indent) {
  file.append(indent);
  std::size_t start = 0;
  for (std::size_t newline = text.find('\n'); newline != std::string_view::npos; newline = text.find('\n', start)) {
    file.append(text.substr(start, newline + 1 - start));
    file.append(indent);
    start = newline + 1;
  }
  file.append(text.substr(start));
}

// A key is the only place `"key": []` can appear unescaped: inside a string
// value every quote is written as \".
std::size_t find_empty_array(std::string_view skeleton, std::size_t from, std::string_view key, std::string& indent) {
  const std::string marker = "\"" + std::string(key) + "\": []";
  const std::size_t at = skeleton.find(marker, from);
  if (at == std::string_view::npos) throw std::logic_error("no empty array \"" + std::string(key) + "\" to fill");
  const std::size_t line = skeleton.rfind('\n', at);
  indent.assign(at - (line == std::string_view::npos ? 0 : line + 1), ' ');
  return at;
}

}  // namespace chaosgate
