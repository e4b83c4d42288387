#include <string>
#include <vector>

#include "load/tree_builder.h"
#include "load/tree_readers.h"
#include "util/text.h"

namespace chaosgate {

namespace {

// Reads JSON text that nlohmann's strict SAX parser has already accepted, so it
// only has to find values, decode strings and track positions; it never has to
// report a syntax error. Positions are counted as yaml-cpp counts them (a
// column per byte, a line per '\n'), so both readers give the same tree.
class JsonReader {
public:
  // Reads the one value that starts at `start` (the whole document from its start).
  JsonReader(std::string_view text, TreeBuilder& builder, ValueStart start = {})
      : m_text(text), m_builder(builder), m_pos(start.offset), m_line(start.line), m_column(start.column) {}

  // Where each value the builder defers starts (see TreeBuilder::defer_items_of).
  // `pages`, when set, is told that the reading is past each: what is before
  // a deferred element is read, and the elements are read again on their own.
  void note_deferred_in(std::vector<ValueStart>& starts, PagedText* pages) {
    m_deferred = &starts;
    m_pages = pages;
  }

  void read() {
    // A loop, not recursion: depth is bounded by the builder's limit, not by our stack.
    std::string containers;  // '{' or '[' per open container
    bool value_next = true;
    while (true) {
      if (value_next && m_deferred && m_builder.next_value_deferred()) {
        skip_space();
        m_deferred->push_back({m_pos, m_line, m_column});
        if (m_pages) m_pages->passed(m_pos);
      }
      if (value_next && read_value(containers)) {
        if (containers.back() == '{') read_key();
        continue;  // to its first value
      }
      value_next = false;
      if (containers.empty()) return;
      skip_space();
      const char c = next();
      if (c == ',') {
        if (containers.back() == '{') read_key();
        value_next = true;
        continue;
      }
      containers.pop_back();
      if (c == '}') m_builder.end_mapping();
      else m_builder.end_sequence();
    }
  }

private:
  // True when it opened a container that has values still to read.
  bool read_value(std::string& containers) {
    skip_space();
    const int line = m_line;
    const int column = m_column;
    const char c = peek();
    if (c == '{' || c == '[') {
      next();
      if (c == '{') m_builder.start_mapping(line, column);
      else m_builder.start_sequence(line, column);
      skip_space();
      if (peek() == '}' || peek() == ']') {
        next();
        if (c == '{') m_builder.end_mapping();
        else m_builder.end_sequence();
        return false;
      }
      containers.push_back(c);
      return true;
    }
    if (c == '"') {
      m_builder.scalar(line, column, read_string(), true);
      return false;
    }
    // true, false, null or a number: its text as written, as yaml-cpp keeps a plain scalar.
    const std::size_t start = m_pos;
    while (m_pos < m_text.size() && !is_delimiter(m_text[m_pos])) next();
    const std::string_view word = m_text.substr(start, m_pos - start);
    if (word == "null") m_builder.null(line, column);
    else m_builder.scalar(line, column, word, false);
    return false;
  }

  void read_key() {
    skip_space();
    const int line = m_line;  // before read_string() moves past the key
    const int column = m_column;
    m_builder.scalar(line, column, read_string(), true);
    skip_space();
    next();  // ':'
  }

  // The string's text: a view of the document when it has no escapes (most
  // keys and values), else the unescaped text in a buffer reused for every
  // string. Valid until the next call; the builder keeps its own copy.
  std::string_view read_string() {
    next();  // '"'
    const std::size_t start = m_pos;
    std::size_t run = m_text.find_first_of("\"\\", m_pos);
    if (m_text[run] == '"') {
      m_column += static_cast<int>(run - m_pos);
      m_pos = run;
      next();
      return m_text.substr(start, run - start);
    }
    m_unescaped.clear();
    while (true) {
      m_unescaped.append(m_text, m_pos, run - m_pos);
      m_column += static_cast<int>(run - m_pos);
      m_pos = run;
      if (next() == '"') return m_unescaped;
      const char escape = next();
      switch (escape) {
        case 'b': m_unescaped += '\b'; break;
        case 'f': m_unescaped += '\f'; break;
        case 'n': m_unescaped += '\n'; break;
        case 'r': m_unescaped += '\r'; break;
        case 't': m_unescaped += '\t'; break;
        case 'u': append_utf8(m_unescaped, read_code_point()); break;
        default: m_unescaped += escape; break;  // '"', '\\', '/'
      }
      run = m_text.find_first_of("\"\\", m_pos);
    }
  }

  // \uXXXX, joining a surrogate pair (nlohmann accepted only whole pairs).
  char32_t read_code_point() {
    char32_t code = read_hex4();
    if (code >= 0xD800 && code <= 0xDBFF) {
      next();  // '\\'
      next();  // 'u'
      code = 0x10000 + ((code - 0xD800) << 10) + (read_hex4() - 0xDC00);
    }
    return code;
  }

  char32_t read_hex4() {
    char32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = next();
      const int digit = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
      value = value * 16 + static_cast<char32_t>(digit);
    }
    return value;
  }

  static bool is_delimiter(char c) {
    return c == ',' || c == ']' || c == '}' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  void skip_space() {
    while (m_pos < m_text.size()) {
      const char c = m_text[m_pos];
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return;
      next();
    }
  }

  char peek() const { return m_pos < m_text.size() ? m_text[m_pos] : '\0'; }

  char next() {
    const char c = peek();
    ++m_pos;
    if (c == '\n') {
      ++m_line;
      m_column = 1;
    } else {
      ++m_column;
    }
    return c;
  }

  std::string_view m_text;
  TreeBuilder& m_builder;
  std::string m_unescaped;
  std::size_t m_pos = 0;
  int m_line = 1;
  int m_column = 1;
  std::vector<ValueStart>* m_deferred = nullptr;
  PagedText* m_pages = nullptr;
};

}  // namespace

NodePtr tree_from_json(const FileName& file, std::string_view content, Diagnostics& diagnostics,
                       const ParseLimits& limits, std::vector<ValueStart>* deferred_experiments, PagedText* pages) {
  TreeBuilder builder(file, limits, deferred_experiments ? 4096 : content.size());
  try {
    JsonReader reader(content, builder);
    if (deferred_experiments) {
      builder.defer_items_of("experiments");
      reader.note_deferred_in(*deferred_experiments, pages);
    }
    reader.read();
  } catch (const StopParsing& stop) {
    if (deferred_experiments) deferred_experiments->clear();
    diagnostics.error(stop.where, "", stop.message);
    return nullptr;
  }
  NodePtr root = builder.root();
  if (!root) diagnostics.error({file, 1, 1}, "", "file is empty");
  return root;
}

NodePtr parse_json_value(const FileName& file, std::string_view content, ValueStart start, Diagnostics& diagnostics,
                         const ParseLimits& limits) {
  TreeBuilder builder(file, limits);
  try {
    JsonReader(content, builder, start).read();
  } catch (const StopParsing& stop) {
    diagnostics.error(stop.where, "", stop.message);
    return nullptr;
  }
  return builder.root();
}

}  // namespace chaosgate
