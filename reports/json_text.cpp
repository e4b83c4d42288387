#include "json_text.h"

#include <array>
#include <cassert>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace chaosgate {

void append_json_string(std::string& out, std::string_view value) {
  static constexpr char k_hex[] = "0123456789abcdef";
  const std::size_t start = out.size();
  out += '"';
  for (std::size_t i = 0; i < value.size(); ++i) {
    // A run of ASCII that needs no escape is copied at once.
    std::size_t end = i;
    while (end < value.size() && static_cast<unsigned char>(value[end]) >= 0x20 && static_cast<unsigned char>(value[end]) < 0x80 &&
           value[end] != '"' && value[end] != '\\')
      ++end;
    out.append(value.data() + i, end - i);
    if (end == value.size()) break;
    i = end;
    const char c = value[i];
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80) {
      // Not ASCII: nlohmann's own escaping, which also replaces invalid UTF-8.
      out.resize(start);
      out += nlohmann::json(std::string(value)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (byte < 0x20) {
          out += "\\u00";
          out += k_hex[byte >> 4];
          out += k_hex[byte & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void JsonText::newline(std::size_t depth) {
  m_out += '\n';
  m_out.append(m_indent + 2 * depth, ' ');
}

JsonText& JsonText::written(std::string_view text, std::size_t depth) {
  const std::size_t here = m_indent + 2 * m_open.size();
  if (depth != here)
    throw std::logic_error("a value written " + std::to_string(depth) + " spaces deep placed " + std::to_string(here) + " deep");
  before_value();
  m_out.append(text);
  return *this;
}

void JsonText::before_value() {
  if (m_after_key) {
    m_after_key = false;
    return;
  }
  if (m_open.empty()) return;  // the value itself
  Open& open = m_open.back();
  assert(!open.object && "an object's value needs a key");
  if (!open.empty) m_out += ',';
  open.empty = false;
  newline(m_open.size());
}

JsonText& JsonText::key(std::string_view name) {
  assert(!m_open.empty() && m_open.back().object && !m_after_key);
  Open& open = m_open.back();
  assert((open.empty || open.last_key < name) && "members must come sorted by name, as dump prints them");
  if (!open.empty) m_out += ',';
  open.empty = false;
  open.last_key = name;
  newline(m_open.size());
  append_json_string(m_out, name);
  m_out += ": ";
  m_after_key = true;
  return *this;
}

JsonText& JsonText::object() {
  before_value();
  m_out += '{';
  m_open.push_back({true, true, {}});
  return *this;
}

JsonText& JsonText::array() {
  before_value();
  m_out += '[';
  m_open.push_back({false, true, {}});
  return *this;
}

JsonText& JsonText::end() {
  assert(!m_open.empty() && !m_after_key);
  const Open open = m_open.back();
  m_open.pop_back();
  if (!open.empty) newline(m_open.size());
  m_out += open.object ? '}' : ']';
  return *this;
}

JsonText& JsonText::string(std::string_view value) {
  before_value();
  append_json_string(m_out, value);
  return *this;
}

JsonText& JsonText::number(long long value) {
  before_value();
  m_out += std::to_string(value);
  return *this;
}

JsonText& JsonText::number(unsigned long long value) {
  before_value();
  m_out += std::to_string(value);
  return *this;
}

JsonText& JsonText::real(double value) {
  before_value();
  if (!std::isfinite(value)) {
    m_out += "null";
    return *this;
  }
  // nlohmann's own float formatting (Grisu2, ".0" for whole numbers), as its serializer calls it.
  std::array<char, 64> buffer{};
  const char* end = nlohmann::detail::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  m_out.append(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
  return *this;
}

JsonText& JsonText::boolean(bool value) {
  before_value();
  m_out += value ? "true" : "false";
  return *this;
}

JsonText& JsonText::strings(const std::vector<std::string>& values) {
  array();
  for (const auto& value : values) string(value);
  return end();
}

}  // namespace chaosgate
