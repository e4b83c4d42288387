#pragma once
// A streaming XML writer for junit.xml, writing exactly what tinyxml2's
// XMLPrinter (not compact) writes for the same calls: elements indented by four
// spaces, an element's text inline, "<empty/>" for one without content, the
// five predefined entities in attribute values and &, <, > in text. Ours so
// that the binary does not link tinyxml2, the last C++ library that kept
// libstdc++ a shared library (start-up: loading and relocating it).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace chaosgate {

class XmlWriter {
public:
  void declaration(std::string_view text);  // <?text?>
  void open(std::string_view name);
  // Only right after open() or another attribute(), as with XMLPrinter.
  void attribute(std::string_view name, std::string_view value);
  void attribute(std::string_view name, std::int64_t value);
  void text(std::string_view text);
  void close();
  const std::string& str() const { return m_out; }
  // Hands what was written so far to `sink` and forgets it, so a large
  // document goes out in pieces. What follows continues it exactly.
  template <typename Sink>
  void drain(Sink&& sink) {
    sink(std::string_view(m_out));
    m_out.clear();
  }

private:
  void seal();
  void indent(int depth);
  void escaped(std::string_view text, bool in_attribute);

  std::string m_out;
  std::vector<std::string> m_open;
  int m_depth = 0;
  int m_text_depth = -1;  // an element with text is written on one line
  bool m_just_opened = false;
  bool m_first = true;
};

}  // namespace chaosgate
