#include "json_event_reader.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "util/text.h"

namespace chaosgate {

namespace {

using nlohmann::json;

// Bytes a string's text is copied over in bulk: not a quote, backslash,
// control character or part of a multi-byte sequence (those are checked one
// at a time).
constexpr auto k_plain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  return plain;
}();

class Parser {
public:
  Parser(std::FILE* file, json::json_sax_t& handler)
      : m_file(file), m_handler(handler), m_buffer(new char[k_chunk]), m_data(m_buffer.get()) {}
  // A document in memory: read where it is, no buffer.
  Parser(std::string_view text, json::json_sax_t& handler)
      : m_file(nullptr), m_handler(handler), m_data(text.data()), m_size(text.size()) {}

  // The whole document, or (`stop`) the part before the value at stop->at
  // inside stop->open; or (`start`) the part from such a value on, `m_file`
  // positioned there.
  FirstPart run(const JsonSplit* stop = nullptr, const JsonSplit* start = nullptr) {
    std::vector<bool> in_object;  // per open container, innermost last, whether an object (an explicit stack: no recursion limit)
    if (start) {
      m_consumed = start->at;
      in_object = start->open;
    } else if (!skip_bom()) {
      return FirstPart::failed;
    }
    while (true) {
      // A value.
      skip_whitespace();
      if (stop && position() >= stop->at)
        return position() == stop->at && in_object == stop->open ? FirstPart::stopped_at_split : FirstPart::missed_split;
      const int c = get();
      switch (c) {
        case '{': {
          if (!m_handler.start_object(static_cast<std::size_t>(-1))) return FirstPart::failed;
          const int after = next_significant();
          if (after == '}') {
            if (!m_handler.end_object()) return FirstPart::failed;
            break;
          }
          if (!member_name(after)) return FirstPart::failed;
          in_object.push_back(1);
          continue;
        }
        case '[': {
          if (!m_handler.start_array(static_cast<std::size_t>(-1))) return FirstPart::failed;
          skip_whitespace();
          if (peek() == ']') {
            ++m_at;
            if (!m_handler.end_array()) return FirstPart::failed;
            break;
          }
          in_object.push_back(0);
          continue;
        }
        case '"': {
          if (!string()) return FirstPart::failed;
          if (!m_handler.string(m_string)) return FirstPart::failed;
          break;
        }
        case 't':
          if (!literal("rue", "true") || !m_handler.boolean(true)) return FirstPart::failed;
          break;
        case 'f':
          if (!literal("alse", "false") || !m_handler.boolean(false)) return FirstPart::failed;
          break;
        case 'n':
          if (!literal("ull", "null") || !m_handler.null()) return FirstPart::failed;
          break;
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            if (!number(c)) return FirstPart::failed;
            break;
          }
          return failed(c == -1 ? "unexpected end of input; expected value" : "syntax error while parsing value");
      }
      // After a value: close containers, or go on to the next element / member.
      while (true) {
        const int after = next_significant();
        if (in_object.empty()) {
          if (after == -1) return FirstPart::whole_document;
          return failed("syntax error while parsing value - unexpected content after the document; expected end of input");
        }
        if (in_object.back()) {
          if (after == ',') {
            if (!member_name(next_significant())) return FirstPart::failed;
            break;
          }
          if (after != '}') return failed("syntax error while parsing object - expected ',' or '}'");
          if (!m_handler.end_object()) return FirstPart::failed;
        } else {
          if (after == ',') break;
          if (after != ']') return failed("syntax error while parsing array - expected ',' or ']'");
          if (!m_handler.end_array()) return FirstPart::failed;
        }
        in_object.pop_back();
      }
    }
  }

private:
  // --- input ---------------------------------------------------------------
  bool refill() {
    m_consumed += m_size;
    m_at = 0;
    m_size = m_file ? std::fread(m_buffer.get(), 1, k_chunk, m_file) : 0;
    if (m_size == 0) m_file = nullptr;
    return m_size != 0;
  }
  int peek() {
    if (m_at == m_size && !refill()) return -1;
    return static_cast<unsigned char>(m_data[m_at]);
  }
  int get() {
    const int c = peek();
    if (c != -1) ++m_at;
    return c;
  }
  std::size_t position() const { return m_consumed + m_at; }  // 1-based position of the last character read
  void skip_whitespace() {
    while (true) {
      while (m_at < m_size) {
        // A pretty-printed journal's indentation: 8 spaces at a time.
        while (m_at + 8 <= m_size && spaces8(m_data + m_at)) m_at += 8;
        if (m_at == m_size) break;  // the rest of the chunk was spaces: on into the next
        const char c = m_data[m_at];
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
        ++m_at;
      }
      if (!refill()) return;
    }
  }
  static bool spaces8(const char* at) {
    std::uint64_t word;
    std::memcpy(&word, at, sizeof word);
    return word == 0x2020202020202020ULL;
  }
  int next_significant() {
    skip_whitespace();
    return get();
  }
  bool skip_bom() {
    if (peek() != 0xEF) return true;
    ++m_at;
    if (get() == 0xBB && get() == 0xBF) return true;
    return fail("invalid BOM; must be 0xEF 0xBB 0xBF if given");
  }

  FirstPart failed(const std::string& message) {
    fail(message);
    return FirstPart::failed;
  }
  bool fail(const std::string& message) {
    const std::size_t at = position() == 0 ? 1 : position();
    const auto error = json::parse_error::create(101, at, message, static_cast<const json*>(nullptr));
    return m_handler.parse_error(at, "", error);
  }

  // --- tokens --------------------------------------------------------------
  bool member_name(int first) {
    if (first != '"') return fail(first == -1 ? "unexpected end of input; expected string literal"
                                              : "syntax error while parsing object key - expected string literal");
    if (!string()) return false;
    if (next_significant() != ':') return fail("syntax error while parsing object separator - expected ':'");
    return m_handler.key(m_string);
  }

  bool literal(const char* rest, const char* name) {
    for (const char* r = rest; *r; ++r)
      if (get() != static_cast<unsigned char>(*r)) return fail(std::string("syntax error while parsing value - invalid literal; expected '") + name + "'");
    return true;
  }

  // After the opening quote; the text goes to m_string.
  bool string() {
    m_string.clear();
    while (true) {
      const std::size_t start = m_at;
      while (m_at < m_size && k_plain[static_cast<unsigned char>(m_data[m_at])]) ++m_at;
      m_string.append(m_data + start, m_at - start);
      if (m_at == m_size && refill()) continue;  // the string goes on in the next chunk
      const int c = get();
      if (c == '"') return true;
      if (c == -1) return fail("invalid string: missing closing quote");
      if (c == '\\') {
        if (!escape()) return false;
      } else if (c < 0x20) {
        return fail("invalid string: control character must be escaped");
      } else if (c >= 0x80) {
        if (!multibyte(c)) return false;
      }
    }
  }

  bool escape() {
    const int c = get();
    switch (c) {
      case '"': m_string += '"'; return true;
      case '\\': m_string += '\\'; return true;
      case '/': m_string += '/'; return true;
      case 'b': m_string += '\b'; return true;
      case 'f': m_string += '\f'; return true;
      case 'n': m_string += '\n'; return true;
      case 'r': m_string += '\r'; return true;
      case 't': m_string += '\t'; return true;
      case 'u': break;
      default: return fail("invalid string: forbidden character after backslash");
    }
    int code = hex4();
    if (code < 0) return fail("invalid string: '\\u' must be followed by 4 hex digits");
    if (code >= 0xDC00 && code <= 0xDFFF) return fail("invalid string: surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF");
    if (code >= 0xD800 && code <= 0xDBFF) {
      if (get() != '\\' || get() != 'u') return fail("invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF");
      const int low = hex4();
      if (low < 0) return fail("invalid string: '\\u' must be followed by 4 hex digits");
      if (low < 0xDC00 || low > 0xDFFF) return fail("invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF");
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(m_string, static_cast<char32_t>(code));
    return true;
  }
  int hex4() {
    int code = 0;
    for (int i = 0; i < 4; ++i) {
      const int c = get();
      int digit = -1;
      if (c >= '0' && c <= '9') digit = c - '0';
      else if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
      if (digit < 0) return -1;
      code = code * 16 + digit;
    }
    return code;
  }
  // A UTF-8 sequence led by `lead` (RFC 3629: no overlong forms, surrogates or
  // code points above U+10FFFF), copied as it is.
  bool multibyte(int lead) {
    int low = 0x80, high = 0xBF, continuation = 0;
    if (lead >= 0xC2 && lead <= 0xDF) continuation = 1;
    else if (lead == 0xE0) continuation = 2, low = 0xA0;
    else if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) continuation = 2;
    else if (lead == 0xED) continuation = 2, high = 0x9F;
    else if (lead == 0xF0) continuation = 3, low = 0x90;
    else if (lead >= 0xF1 && lead <= 0xF3) continuation = 3;
    else if (lead == 0xF4) continuation = 3, high = 0x8F;
    else return fail("invalid string: ill-formed UTF-8 byte");
    m_string += static_cast<char>(lead);
    for (int i = 0; i < continuation; ++i) {
      const int c = get();
      if (c < low || c > high) return fail("invalid string: ill-formed UTF-8 byte");
      m_string += static_cast<char>(c);
      low = 0x80, high = 0xBF;
    }
    return true;
  }

  // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?; integers that fit are
  // int64 (negative) or uint64, anything else a double, as nlohmann reads them.
  bool number(int first) {
    m_number.clear();
    m_number += static_cast<char>(first);
    bool integer = true;
    const auto digits = [&](bool at_least_one) {
      bool any = false;
      while (peek() >= '0' && peek() <= '9') {  // a run within the buffer, appended at once
        const std::size_t start = m_at;
        while (m_at < m_size && m_data[m_at] >= '0' && m_data[m_at] <= '9') ++m_at;
        m_number.append(m_data + start, m_at - start);
        any = true;
      }
      return any || !at_least_one;
    };
    int lead = first;
    if (first == '-') {
      lead = get();
      if (lead < '0' || lead > '9') return fail("syntax error while parsing value - invalid number; expected digit after '-'");
      m_number += static_cast<char>(lead);
    }
    if (lead != '0') digits(false);
    if (peek() == '.') {
      integer = false;
      m_number += '.';
      ++m_at;
      if (!digits(true)) return fail("syntax error while parsing value - invalid number; expected digit after '.'");
    }
    if (peek() == 'e' || peek() == 'E') {
      integer = false;
      m_number += static_cast<char>(get());
      if (peek() == '+' || peek() == '-') m_number += static_cast<char>(get());
      if (!digits(true)) return fail("syntax error while parsing value - invalid number; expected digit after exponent sign");
    }
    const char* begin = m_number.data();
    const char* end = begin + m_number.size();
    if (integer) {
      if (first == '-') {
        std::int64_t value = 0;
        if (const auto r = std::from_chars(begin, end, value); r.ec == std::errc() && r.ptr == end)
          return m_handler.number_integer(value);
      } else {
        std::uint64_t value = 0;
        if (const auto r = std::from_chars(begin, end, value); r.ec == std::errc() && r.ptr == end)
          return m_handler.number_unsigned(value);
      }
    }
    double value = 0;
    const auto r = std::from_chars(begin, end, value);
    if (r.ec == std::errc::result_out_of_range) value = std::strtod(m_number.c_str(), nullptr);  // underflow is a number
    if (!std::isfinite(value)) return fail("number overflow parsing '" + m_number + "'");
    return m_handler.number_float(value, m_number);
  }

  std::FILE* m_file;
  json::json_sax_t& m_handler;
  // Not value-initialised: a small document touches only the pages it fills
  // (a journal read in two parts makes two of these).
  static constexpr std::size_t k_chunk = 1u << 20;
  std::unique_ptr<char[]> m_buffer;  // a file's chunk; none for a document in memory
  const char* m_data;                // the bytes being read: the chunk, or the document
  std::size_t m_at = 0;
  std::size_t m_size = 0;
  std::size_t m_consumed = 0;
  std::string m_string;
  std::string m_number;
};

}  // namespace

bool read_json_events(std::FILE* file, json::json_sax_t& handler) {
  return Parser(file, handler).run() == FirstPart::whole_document;
}

bool read_json_events(std::string_view text, json::json_sax_t& handler) {
  return Parser(text, handler).run() == FirstPart::whole_document;
}

FirstPart read_json_events_until(std::FILE* file, json::json_sax_t& handler, const JsonSplit& split) {
  return Parser(file, handler).run(&split);
}

bool read_json_events_from(std::FILE* file, json::json_sax_t& handler, const JsonSplit& split) {
  return Parser(file, handler).run(nullptr, &split) == FirstPart::whole_document;
}

}  // namespace chaosgate
