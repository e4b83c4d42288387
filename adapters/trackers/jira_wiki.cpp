#include "trackers/jira_wiki.h"

#include <array>
#include <cctype>
#include <string_view>

#include "trackers/jira_adf.h"
#include "util/json_integer.h"

namespace chaosgate::trackers {

namespace {

using nlohmann::json;

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || static_cast<unsigned char>(c) >= 0x80; }

// Emoticons wiki markup turns into icons; their "(" or ":" is escaped.
constexpr std::array<std::string_view, 17> k_emoticons = {"(y)", "(n)", "(i)", "(/)", "(x)", "(on)", "(off)", "(*)", "(*r)",
                                                          "(*g)", "(*b)", "(*y)", ":)", ":(", ":P", ":D", ";)"};

// Backslash-escapes what wiki markup would read as formatting. Always: the
// characters that open links, macros, images and table cells. At a word
// boundary only: the effect characters (*strong*, -deleted-, +inserted+,
// ^sup^, ~sub~, ??cite??) and "#" (a list at line start), since "a-b" or
// "2026-11-25" never format and escaping them would clutter the source.
std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool word_before = i > 0 && is_word_char(text[i - 1]);
    const bool word_after = i + 1 < text.size() && is_word_char(text[i + 1]);
    bool escaped = false;
    switch (c) {
      case '{': case '}': case '[': case ']': case '|': case '!':
        escaped = true;
        break;
      case '*': case '_': case '-': case '+': case '^': case '~': case '#':
        escaped = !(word_before && word_after);
        break;
      case '?':
        escaped = (i + 1 < text.size() && text[i + 1] == '?') || (i > 0 && text[i - 1] == '?');
        break;
      case '(': case ':': case ';':
        for (const auto emoticon : k_emoticons) escaped = escaped || text.substr(i).starts_with(emoticon);
        break;
      default:
        break;
    }
    if (escaped) out += '\\';
    out += c;
  }
  return out;
}

bool has_mark(const json& node, std::string_view type) {
  if (!node.contains("marks")) return false;
  for (const auto& mark : node.at("marks"))
    if (mark.value("type", "") == type) return true;
  return false;
}

std::string link_href(const json& node) {
  if (!node.contains("marks")) return "";
  for (const auto& mark : node.at("marks"))
    if (mark.value("type", "") == "link") return mark.at("attrs").value("href", "");
  return "";
}

// "[label|url]" ends at "|" or "]": those are percent-encoded in the URL.
std::string wiki_url(std::string_view href) {
  std::string out;
  for (const char c : href) {
    if (c == '|') {
      out += "%7C";
    } else if (c == ']') {
      out += "%5D";
    } else {
      out += c;
    }
  }
  return out;
}

// Wiki effects need the marker next to a non-space character: surrounding
// spaces go outside "*...*".
std::string wrap(const std::string& text, std::string_view open, std::string_view close) {
  const auto first = text.find_first_not_of(' ');
  if (first == std::string::npos) return text;
  const auto last = text.find_last_not_of(' ');
  return text.substr(0, first) + std::string(open) + text.substr(first, last - first + 1) + std::string(close) +
         text.substr(last + 1);
}

std::string text_of(const json& node) {
  const std::string text = node.value("text", "");
  if (has_mark(node, "code")) return wrap(escape(text), "{{", "}}");
  if (has_mark(node, "strong")) return wrap(escape(text), "*", "*");
  return escape(text);
}

// Inline content; neighbouring text nodes with the same link become one link.
std::string inline_wiki(const json& nodes) {
  std::string out;
  for (std::size_t i = 0; i < nodes.size();) {
    const std::string href = link_href(nodes[i]);
    if (href.empty()) {
      if (nodes[i].value("type", "") == "hardBreak") {
        out += "\\\\ ";
      } else {
        out += text_of(nodes[i]);
      }
      ++i;
      continue;
    }
    std::string label;
    for (; i < nodes.size() && link_href(nodes[i]) == href; ++i) label += text_of(nodes[i]);
    out += "[" + label + "|" + wiki_url(href) + "]";
  }
  return out;
}

std::string content_inline(const json& node) { return node.contains("content") ? inline_wiki(node.at("content")) : ""; }

// The inline text of a block holding paragraphs (a list item, a table cell).
std::string blocks_inline(const json& node) {
  std::string out;
  if (!node.contains("content")) return out;
  for (const auto& child : node.at("content")) {
    if (!out.empty()) out += ' ';
    out += content_inline(child);
  }
  return out;
}

std::string block_wiki(const json& node) {
  const std::string type = node.value("type", "");
  if (type == "heading") return "h" + std::to_string(json_integer_or(node.at("attrs"), "level", 1)) + ". " + content_inline(node);
  if (type == "rule") return "----";
  if (type == "bulletList" || type == "orderedList") {
    std::string out;
    for (const auto& item : node.at("content")) out += (out.empty() ? "" : "\n") + std::string(type == "bulletList" ? "* " : "# ") + blocks_inline(item);
    return out;
  }
  if (type == "table") {
    std::string out;
    for (const auto& row : node.at("content")) {
      std::string line;
      for (const auto& cell : row.at("content")) {
        const std::string separator = cell.value("type", "") == "tableHeader" ? "||" : "|";
        const std::string text = blocks_inline(cell);
        line += separator + (text.empty() ? " " : text);
        if (&cell == &row.at("content").back()) line += separator;
      }
      out += (out.empty() ? "" : "\n") + line;
    }
    return out;
  }
  if (type == "codeBlock") {
    std::string code;
    if (node.contains("content"))
      for (const auto& text : node.at("content")) code += text.value("text", "");
    // The one sequence that would end the block early.
    for (std::size_t at = code.find("{noformat}"); at != std::string::npos; at = code.find("{noformat}", at + 2))
      code.insert(at + 1, " ");
    return "{noformat}\n" + code + "\n{noformat}";
  }
  return content_inline(node);  // paragraph, and whatever else carries inline content
}

}  // namespace

std::string adf_to_wiki(const nlohmann::json& document) {
  std::string out;
  if (!document.contains("content")) return out;
  for (const auto& block : document.at("content")) {
    if (!out.empty()) out += "\n\n";
    out += block_wiki(block);
  }
  return out;
}

std::string markdown_to_wiki(const std::string& markdown) { return adf_to_wiki(markdown_to_adf(markdown)); }

}  // namespace chaosgate::trackers
