#include "xml_writer.h"

namespace chaosgate {

void XmlWriter::seal() {
  if (!m_just_opened) return;
  m_just_opened = false;
  m_out += '>';
}

void XmlWriter::indent(int depth) {
  m_out += '\n';
  m_out.append(static_cast<std::size_t>(depth) * 4, ' ');
}

void XmlWriter::declaration(std::string_view text) {
  seal();
  if (m_text_depth < 0 && !m_first) indent(m_depth);
  m_first = false;
  m_out += "<?";
  m_out += text;
  m_out += "?>";
}

void XmlWriter::open(std::string_view name) {
  seal();
  m_open.emplace_back(name);
  if (m_text_depth < 0 && !m_first) indent(m_depth);
  m_out += '<';
  m_out += name;
  m_just_opened = true;
  m_first = false;
  ++m_depth;
}

void XmlWriter::attribute(std::string_view name, std::string_view value) {
  m_out += ' ';
  m_out += name;
  m_out += "=\"";
  escaped(value, true);
  m_out += '"';
}

void XmlWriter::attribute(std::string_view name, std::int64_t value) { attribute(name, std::to_string(value)); }

void XmlWriter::text(std::string_view text) {
  m_text_depth = m_depth - 1;
  seal();
  escaped(text, false);
}

void XmlWriter::close() {
  --m_depth;
  if (m_just_opened) {
    m_out += "/>";
  } else {
    if (m_text_depth < 0) indent(m_depth);
    m_out += "</";
    m_out += m_open.back();
    m_out += '>';
  }
  m_open.pop_back();
  if (m_text_depth == m_depth) m_text_depth = -1;
  if (m_depth == 0) m_out += '\n';
  m_just_opened = false;
}

void XmlWriter::escaped(std::string_view text, bool in_attribute) {
  for (const char c : text) {
    switch (c) {
      case '&': m_out += "&amp;"; break;
      case '<': m_out += "&lt;"; break;
      case '>': m_out += "&gt;"; break;
      case '"':
        if (in_attribute) {
          m_out += "&quot;";
        } else {
          m_out += c;
        }
        break;
      case '\'':
        if (in_attribute) {
          m_out += "&apos;";
        } else {
          m_out += c;
        }
        break;
      default: m_out += c;
    }
  }
}

}  // namespace chaosgate
