#include "trackers/jira_adf.h"

#include <cctype>
#include <optional>
#include <string_view>
#include <vector>

namespace chaosgate::trackers {

namespace {

using nlohmann::json;

// ---- inline ------------------------------------------------------------------

struct Marks {
  bool strong = false;
  bool code = false;
  std::string href;
  bool operator==(const Marks&) const = default;
};

// Collects text runs, merging neighbours with the same marks.
class InlineBuilder {
public:
  void add(std::string_view text, const Marks& marks) {
    if (text.empty()) return;
    if (!m_runs.empty() && m_runs.back().second == marks) {
      m_runs.back().first += text;
    } else {
      m_runs.emplace_back(std::string(text), marks);
    }
  }

  json nodes() const {
    json out = json::array();
    for (const auto& [text, marks] : m_runs) {
      json node = {{"type", "text"}, {"text", text}};
      json list = json::array();
      // ADF allows `code` only together with `link`: strong is dropped there.
      if (marks.code) {
        list.push_back({{"type", "code"}});
      } else if (marks.strong) {
        list.push_back({{"type", "strong"}});
      }
      if (!marks.href.empty()) list.push_back({{"type", "link"}, {"attrs", {{"href", marks.href}}}});
      if (!list.empty()) node["marks"] = list;
      out.push_back(std::move(node));
    }
    return out;
  }

private:
  std::vector<std::pair<std::string, Marks>> m_runs;
};

bool is_ascii_punctuation(char c) { return std::ispunct(static_cast<unsigned char>(c)) != 0 && static_cast<unsigned char>(c) < 0x80; }

// A code span starting at `pos` (a run of backticks): its content and the
// position after its closing run, or nullopt when the run is never closed.
std::optional<std::pair<std::string, std::size_t>> code_span(std::string_view text, std::size_t pos) {
  std::size_t fence = 0;
  while (pos + fence < text.size() && text[pos + fence] == '`') ++fence;
  for (std::size_t at = pos + fence; at < text.size();) {
    const std::size_t open = text.find('`', at);
    if (open == std::string_view::npos) return std::nullopt;
    std::size_t run = 0;
    while (open + run < text.size() && text[open + run] == '`') ++run;
    if (run == fence) {
      std::string content(text.substr(pos + fence, open - pos - fence));
      // CommonMark: one space is stripped from each side when both are there
      // (it lets a span start or end with a backtick).
      const bool all_spaces = content.find_first_not_of(' ') == std::string::npos;
      if (content.size() >= 2 && content.front() == ' ' && content.back() == ' ' && !all_spaces)
        content = content.substr(1, content.size() - 2);
      return std::pair{content, open + run};
    }
    at = open + run;
  }
  return std::nullopt;
}

// "[label](target)" starting at `pos`: label, target and the position after
// it, or nullopt when the text there is not a link.
struct LinkParts {
  std::string_view label;
  std::string target;
  std::size_t end;
};
std::optional<LinkParts> link_at(std::string_view text, std::size_t pos) {
  const std::size_t close = text.find("](", pos + 1);
  if (close == std::string_view::npos || text.substr(pos + 1, close - pos - 1).find('[') != std::string_view::npos)
    return std::nullopt;
  const std::size_t target_end = text.find(')', close + 2);
  if (target_end == std::string_view::npos) return std::nullopt;
  std::string target(text.substr(close + 2, target_end - close - 2));
  if (target.empty() || target.find(' ') != std::string::npos) return std::nullopt;
  return LinkParts{text.substr(pos + 1, close - pos - 1), std::move(target), target_end + 1};
}

void parse_inline(std::string_view text, Marks marks, InlineBuilder& out) {
  std::string plain;
  const auto flush = [&] {
    out.add(plain, marks);
    plain.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size() && is_ascii_punctuation(text[i + 1])) {
      plain += text[i + 1];
      i += 2;
    } else if (c == '`') {
      if (const auto span = code_span(text, i)) {
        flush();
        Marks code = marks;
        code.code = true;
        out.add(span->first, code);
        i = span->second;
      } else {
        while (i < text.size() && text[i] == '`') plain += text[i++];
      }
    } else if (c == '*' && text.substr(i, 2) == "**" &&
               (marks.strong || text.find("**", i + 2) != std::string_view::npos)) {
      flush();
      marks.strong = !marks.strong;
      i += 2;
    } else if (c == '[' && marks.href.empty()) {
      if (const auto link = link_at(text, i)) {
        flush();
        Marks linked = marks;
        linked.href = link->target;
        parse_inline(link->label, linked, out);
        i = link->end;
      } else {
        plain += c;
        ++i;
      }
    } else {
      plain += c;
      ++i;
    }
  }
  flush();
}

json inline_nodes(std::string_view text) {
  InlineBuilder builder;
  parse_inline(text, {}, builder);
  return builder.nodes();
}

json paragraph(std::string_view text) { return {{"type", "paragraph"}, {"content", inline_nodes(text)}}; }

// ---- blocks ------------------------------------------------------------------

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

bool is_blank(std::string_view line) { return trim(line).empty(); }

std::size_t indent(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

// "## Title" -> level 2 and "Title".
std::optional<std::pair<int, std::string_view>> heading(std::string_view line) {
  if (indent(line) > 3) return std::nullopt;
  line = trim(line);
  std::size_t level = 0;
  while (level < line.size() && line[level] == '#') ++level;
  if (level == 0 || level > 6 || (level < line.size() && line[level] != ' ')) return std::nullopt;
  std::string_view title = trim(line.substr(level));
  // An optional closing sequence of #s.
  const auto hashes = title.find_last_not_of('#');
  if (hashes == std::string_view::npos) return std::pair{static_cast<int>(level), std::string_view{}};
  if (hashes + 1 < title.size() && title[hashes] == ' ') title = trim(title.substr(0, hashes));
  return std::pair{static_cast<int>(level), title};
}

bool is_rule(std::string_view line) {
  if (indent(line) > 3) return false;
  line = trim(line);
  if (line.empty() || (line[0] != '-' && line[0] != '*' && line[0] != '_')) return false;
  std::size_t marks = 0;
  for (const char c : line) {
    if (c == line[0]) {
      ++marks;
    } else if (c != ' ' && c != '\t') {
      return false;
    }
  }
  return marks >= 3;
}

bool is_fence(std::string_view line) { return indent(line) <= 3 && trim(line).starts_with("```"); }

// A bullet item's text ("- x", "* x", "+ x"), or nullopt.
std::optional<std::string_view> bullet_item(std::string_view line) {
  if (indent(line) > 3) return std::nullopt;
  line = line.substr(indent(line));
  if (line.size() < 2 || (line[0] != '-' && line[0] != '*' && line[0] != '+') || line[1] != ' ') return std::nullopt;
  return trim(line.substr(2));
}

// An ordered item's number and text ("3. x", "3) x"), or nullopt.
std::optional<std::pair<long, std::string_view>> ordered_item(std::string_view line) {
  if (indent(line) > 3) return std::nullopt;
  line = line.substr(indent(line));
  std::size_t digits = 0;
  while (digits < line.size() && digits < 9 && std::isdigit(static_cast<unsigned char>(line[digits])) != 0) ++digits;
  if (digits == 0 || digits + 1 >= line.size() || (line[digits] != '.' && line[digits] != ')') || line[digits + 1] != ' ')
    return std::nullopt;
  return std::pair{std::stol(std::string(line.substr(0, digits))), trim(line.substr(digits + 2))};
}

// Cells of a pipe-table row; "\|" stays in the cell (the inline parser
// unescapes it).
std::vector<std::string> table_cells(std::string_view line) {
  line = trim(line);
  if (line.starts_with('|')) line.remove_prefix(1);
  if (line.ends_with('|') && !line.ends_with("\\|")) line.remove_suffix(1);
  std::vector<std::string> cells;
  std::string cell;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size()) {
      cell += line[i];
      cell += line[++i];
    } else if (line[i] == '|') {
      cells.emplace_back(trim(cell));
      cell.clear();
    } else {
      cell += line[i];
    }
  }
  cells.emplace_back(trim(cell));
  return cells;
}

bool is_table_row(std::string_view line) { return trim(line).starts_with('|'); }

bool is_delimiter_row(std::string_view line) {
  if (!is_table_row(line)) return false;
  for (const auto& cell : table_cells(line)) {
    const std::string_view c = trim(cell);
    if (c.empty() || c.find_first_not_of(":-") != std::string_view::npos || c.find('-') == std::string_view::npos)
      return false;
  }
  return true;
}

// "[ ] title" / "[x] title" -> a ballot box and the title: ADF's taskList
// would need local ids and renders only in some clients.
std::string task_text(std::string_view item) {
  if (item.starts_with("[ ] ")) return "\u2610 " + std::string(item.substr(4));
  if (item.starts_with("[x] ") || item.starts_with("[X] ")) return "\u2611 " + std::string(item.substr(4));
  return std::string(item);
}

class BlockParser {
public:
  explicit BlockParser(const std::string& markdown) {
    std::size_t start = 0;
    while (start <= markdown.size()) {
      std::size_t end = markdown.find('\n', start);
      if (end == std::string::npos) end = markdown.size();
      std::string_view line(markdown.data() + start, end - start);
      if (line.ends_with('\r')) line.remove_suffix(1);
      m_lines.push_back(line);
      start = end + 1;
    }
  }

  json parse() {
    json content = json::array();
    while (m_next < m_lines.size()) {
      const std::string_view line = m_lines[m_next];
      if (is_blank(line)) {
        ++m_next;
      } else if (is_fence(line)) {
        content.push_back(code_block());
      } else if (const auto h = heading(line)) {
        ++m_next;
        json node = {{"type", "heading"}, {"attrs", {{"level", h->first}}}, {"content", inline_nodes(h->second)}};
        content.push_back(std::move(node));
      } else if (is_rule(line)) {
        ++m_next;
        content.push_back({{"type", "rule"}});
      } else if (is_table_row(line) && m_next + 1 < m_lines.size() && is_delimiter_row(m_lines[m_next + 1])) {
        content.push_back(table());
      } else if (bullet_item(line)) {
        content.push_back(list(false));
      } else if (ordered_item(line)) {
        content.push_back(list(true));
      } else {
        content.push_back(paragraph(paragraph_text()));
      }
    }
    return content;
  }

private:
  bool starts_block(std::string_view line) const {
    return is_blank(line) || is_fence(line) || heading(line) || is_rule(line) || bullet_item(line) || ordered_item(line);
  }

  // Lines up to the next blank line or block, joined as CommonMark joins a
  // soft line break: with a space.
  std::string paragraph_text() {
    std::string text(trim(m_lines[m_next++]));
    while (m_next < m_lines.size() && !starts_block(m_lines[m_next])) {
      text += ' ';
      text += trim(m_lines[m_next++]);
    }
    return text;
  }

  json code_block() {
    const std::string_view info = trim(trim(m_lines[m_next++]).substr(3));
    std::string code;
    bool first = true;
    while (m_next < m_lines.size() && !is_fence(m_lines[m_next])) {
      if (!first) code += '\n';
      code += m_lines[m_next++];
      first = false;
    }
    if (m_next < m_lines.size()) ++m_next;  // the closing fence
    json node = {{"type", "codeBlock"}, {"content", json::array()}};
    if (!info.empty()) node["attrs"] = {{"language", std::string(info.substr(0, info.find(' ')))}};
    if (!code.empty()) node["content"].push_back({{"type", "text"}, {"text", code}});
    return node;
  }

  json table() {
    const auto header = table_cells(m_lines[m_next]);
    m_next += 2;  // header and delimiter row
    const auto row = [&](const std::vector<std::string>& cells, const char* cell_type) {
      json row_node = {{"type", "tableRow"}, {"content", json::array()}};
      for (std::size_t i = 0; i < header.size(); ++i) {
        const std::string text = i < cells.size() ? cells[i] : "";
        row_node["content"].push_back({{"type", cell_type}, {"content", json::array({paragraph(text)})}});
      }
      return row_node;
    };
    json node = {{"type", "table"}, {"content", json::array({row(header, "tableHeader")})}};
    while (m_next < m_lines.size() && is_table_row(m_lines[m_next])) node["content"].push_back(row(table_cells(m_lines[m_next++]), "tableCell"));
    return node;
  }

  json list(bool ordered) {
    json node = {{"type", ordered ? "orderedList" : "bulletList"}, {"content", json::array()}};
    if (ordered) {
      const long first = ordered_item(m_lines[m_next])->first;
      if (first != 1) node["attrs"] = {{"order", first}};
    }
    while (m_next < m_lines.size()) {
      const std::string_view line = m_lines[m_next];
      std::string text;
      if (ordered && ordered_item(line)) {
        text = std::string(ordered_item(line)->second);
      } else if (!ordered && bullet_item(line)) {
        text = task_text(*bullet_item(line));
      } else {
        break;
      }
      ++m_next;
      // Indented lines continue the item.
      while (m_next < m_lines.size() && indent(m_lines[m_next]) >= 2 && !is_blank(m_lines[m_next]) &&
             !bullet_item(m_lines[m_next]) && !ordered_item(m_lines[m_next])) {
        text += ' ';
        text += trim(m_lines[m_next++]);
      }
      node["content"].push_back({{"type", "listItem"}, {"content", json::array({paragraph(text)})}});
    }
    return node;
  }

  std::vector<std::string_view> m_lines;
  std::size_t m_next = 0;
};

}  // namespace

nlohmann::json markdown_to_adf(const std::string& markdown) {
  return {{"type", "doc"}, {"version", 1}, {"content", BlockParser(markdown).parse()}};
}

}  // namespace chaosgate::trackers
