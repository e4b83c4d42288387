#include "json_stream.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace chaosgate {

std::string dump_json(const nlohmann::json& value) {
  return value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
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
