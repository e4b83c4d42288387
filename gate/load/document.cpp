#include "load/document.h"

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <iterator>
#include <nlohmann/json.hpp>

#include "load/tree_readers.h"
#include "util/text.h"

namespace chaosgate {

const MapEntry* find_entry(TreeSpan<MapEntry> entries, std::string_view key) {
  for (const auto& entry : entries)
    if (entry.key == key) return &entry;
  return nullptr;
}

const MapEntry* Node::find_entry(std::string_view key) const { return chaosgate::find_entry(entries(), key); }

const Node* Node::find(std::string_view key) const {
  const MapEntry* entry = find_entry(key);
  return entry ? entry->value : nullptr;
}

std::string describe_kind(const Node& node) {
  switch (node.kind) {
    case Node::Kind::null: return "null";
    case Node::Kind::sequence: return "an array";
    case Node::Kind::mapping: return "an object";
    case Node::Kind::scalar: break;
  }
  if (node.quoted) return "a string";
  const std::string s(node.scalar());
  if (s == "true" || s == "false") return "a boolean";
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  if (!s.empty() && end == s.c_str() + s.size()) return "a number";
  return "a string";
}

namespace {

// Strict JSON syntax check first: YAML would accept comments, single quotes and
// unquoted strings in a .json file. The SAX form builds nothing, so depth and
// size cost no memory.
class JsonSyntaxCheck : public nlohmann::json_sax<nlohmann::json> {
public:
  std::size_t error_offset = 0;
  std::string error_message;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
    error_offset = position;
    error_message = e.what();
    return false;
  }
};

std::string json_error_text(const std::string& what) {
  // nlohmann: "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error while parsing object - ..."
  const auto dash = what.find(" - ");
  std::string text = dash == std::string::npos ? what : what.substr(dash + 3);
  return "invalid JSON: " + text;
}

// A reading gives pages back at most this often (util/paged_text.h).
constexpr std::size_t k_reading_step = 64 * 1024;

// Checked a step at a time, so that a large text's pages can go behind the
// reading. A step ends on the first byte of a UTF-8 sequence, never inside one.
bool check_encoding(const FileName& file, std::string_view content, Diagnostics& diagnostics, PagedText* pages) {
  const SourceLocation start{file, 1, 1};
  auto starts_with = [&](std::string_view prefix) { return content.substr(0, prefix.size()) == prefix; };
  if (starts_with("\xEF\xBB\xBF")) {
    diagnostics.error(start, "", "file starts with a UTF-8 byte order mark; save it as UTF-8 without BOM");
    return false;
  }
  if (starts_with("\xFF\xFE") || starts_with("\xFE\xFF")) {
    diagnostics.error(start, "", "file is UTF-16 encoded; suites must be UTF-8");
    return false;
  }
  const auto error_at = [&](std::size_t offset, const std::string& message) {
    const auto [line, column] = line_and_column(content, offset);
    diagnostics.error({file, line, column}, "", message);
    return false;
  };
  const auto continues_a_sequence = [&](std::size_t at) { return (static_cast<unsigned char>(content[at]) & 0xC0) == 0x80; };
  bool only_space = true;
  for (std::size_t from = 0; from < content.size();) {
    std::size_t to = std::min(content.size(), from + k_reading_step);
    for (int back = 0; back < 3 && to < content.size() && to > from + 1 && continues_a_sequence(to); ++back) --to;
    const std::string_view step = content.substr(from, to - from);
    if (const auto nul = step.find('\0'); nul != std::string_view::npos)
      return error_at(from + nul, "file contains a NUL byte: binary data, not a suite");
    if (const auto bad = find_invalid_utf8(step)) return error_at(from + *bad, "invalid UTF-8 byte sequence");
    if (only_space && step.find_first_not_of(" \t\r\n") != std::string_view::npos) only_space = false;
    from = to;
    if (pages) pages->passed(from);
  }
  if (only_space) {
    diagnostics.error(start, "", "file is empty");
    return false;
  }
  return true;
}

// A place in the text for nlohmann's parser that tells the text, every
// reading step, that the reading is past it.
class PassingIterator {
public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  PassingIterator(std::string_view text, std::size_t at, PagedText* pages)
      : m_start(text.data()), m_at(text.data() + at), m_pages(pages) {}
  reference operator*() const { return *m_at; }
  PassingIterator& operator++() {
    ++m_at;
    if (m_pages && static_cast<std::size_t>(m_at - m_start) % k_reading_step == 0)
      m_pages->passed(static_cast<std::size_t>(m_at - m_start));
    return *this;
  }
  PassingIterator operator++(int) {
    PassingIterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const PassingIterator& other) const { return m_at == other.m_at; }
  bool operator!=(const PassingIterator& other) const { return m_at != other.m_at; }

private:
  const char* m_start;
  const char* m_at;
  PagedText* m_pages;
};

NodePtr parse(const std::string& name, std::string_view content, PagedText* pages, std::string_view format,
              Diagnostics& diagnostics, const ParseLimits& limits, std::vector<ValueStart>* deferred_experiments) {
  const FileName file_name(name);
  if (content.size() > limits.max_bytes) {
    diagnostics.error({file_name, 0, 0}, "",
                      "file is " + std::to_string(content.size() / (1024 * 1024)) + " MiB; the limit for a suite file is " +
                          std::to_string(limits.max_bytes / (1024 * 1024)) + " MiB");
    return nullptr;
  }
  // Each reading below starts over: another follows it.
  const auto begin_reading = [&] {
    if (pages) pages->begin_reading(PagedText::Reading::again);
  };
  begin_reading();
  if (!check_encoding(file_name, content, diagnostics, pages)) return nullptr;

  if (format == "json") {
    JsonSyntaxCheck check;
    begin_reading();
    if (!nlohmann::json::sax_parse(PassingIterator(content, 0, pages), PassingIterator(content, content.size(), pages),
                                   &check)) {
      // nlohmann reports the offset one past the offending character.
      const auto [line, column] = line_and_column(content, check.error_offset > 0 ? check.error_offset - 1 : 0);
      diagnostics.error({file_name, line, column}, "", json_error_text(check.error_message));
      return nullptr;
    }
    begin_reading();
    return tree_from_json(file_name, content, diagnostics, limits, deferred_experiments, pages);
  }
  return tree_from_yaml(file_name, content, diagnostics, limits);
}

}  // namespace

NodePtr parse_document(const std::string& name, std::string_view content, std::string_view format,
                       Diagnostics& diagnostics, const ParseLimits& limits,
                       std::vector<ValueStart>* deferred_experiments) {
  return parse(name, content, nullptr, format, diagnostics, limits, deferred_experiments);
}

NodePtr parse_document(const std::string& name, PagedText& content, std::string_view format,
                       Diagnostics& diagnostics, const ParseLimits& limits,
                       std::vector<ValueStart>* deferred_experiments) {
  return parse(name, content.view(), &content, format, diagnostics, limits, deferred_experiments);
}

}  // namespace chaosgate
