#pragma once
// JSON text written member by member, exactly as nlohmann's dump(2) prints
// the same value (UTF-8 kept, invalid UTF-8 replaced): for the large reports,
// whose many small objects were each built as a DOM only to be printed.
// Members must come in the order dump prints them: sorted by name.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace chaosgate {

class JsonText {
public:
  // Appends to `out`; the value sits `indent` spaces deep (its first line is
  // not indented: the caller has placed it).
  JsonText(std::string& out, std::size_t indent) : m_out(out), m_indent(indent) {}

  JsonText& object();
  JsonText& array();
  JsonText& end();  // of the innermost object or array
  JsonText& key(std::string_view name);
  JsonText& string(std::string_view value);
  JsonText& number(long long value);
  JsonText& number(unsigned long long value);
  JsonText& real(double value);  // as dump prints a double: shortest round trip, "1.0", NaN and inf as null
  JsonText& boolean(bool value);
  JsonText& strings(const std::vector<std::string>& values);  // an array of them
  // A value another JsonText already wrote as text `depth` spaces deep (a
  // spooled journal record), copied as it is. Throws std::logic_error unless
  // this value sits at that depth too.
  JsonText& written(std::string_view text, std::size_t depth);

  // "name": value, shorthands for the common members.
  JsonText& member(std::string_view name, std::string_view value) { return key(name).string(value); }
  JsonText& member(std::string_view name, long long value) { return key(name).number(value); }

private:
  void before_value();
  void newline(std::size_t depth);

  struct Open {
    bool object;
    bool empty;
    std::string_view last_key;  // names must ascend (asserted)
  };
  std::string& m_out;
  std::size_t m_indent;
  std::vector<Open> m_open;
  bool m_after_key = false;
};

// `value` as a JSON string literal, escaped as dump() escapes it.
void append_json_string(std::string& out, std::string_view value);

}  // namespace chaosgate
