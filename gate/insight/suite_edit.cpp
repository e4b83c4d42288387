#include "insight/suite_edit.h"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "util/errors.h"

namespace chaosgate::insight {

namespace {

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start + 1));  // keeps its '\n' (and a '\r' before it)
    start = end + 1;
  }
  return lines;
}

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

// Where `value` is written on `line` as a whole scalar (bare or quoted):
// preferably at `column` (1-based), else its only occurrence. npos if none.
struct Found {
  std::size_t begin = std::string::npos;  // of the value's text, inside any quotes
};

Found find_scalar(const std::string& line, const std::string& value, int column) {
  auto whole_at = [&](std::size_t pos) {
    if (line.compare(pos, value.size(), value) != 0) return false;
    const bool left = pos == 0 || !is_word_char(line[pos - 1]);
    const std::size_t after = pos + value.size();
    const bool right = after >= line.size() || !is_word_char(line[after]);
    return left && right;
  };
  if (column > 0) {
    std::size_t pos = static_cast<std::size_t>(column - 1);
    if (pos < line.size() && (line[pos] == '"' || line[pos] == '\'')) ++pos;
    if (pos < line.size() && whole_at(pos)) return {pos};
  }
  std::size_t found = std::string::npos;
  for (std::size_t pos = line.find(value); pos != std::string::npos; pos = line.find(value, pos + 1)) {
    if (!whole_at(pos)) continue;
    if (found != std::string::npos) return {};  // ambiguous: better no edit than the wrong one
    found = pos;
  }
  return {found};
}

}  // namespace

std::string apply_scalar_edits(const std::string& text, const std::vector<ScalarEdit>& edits) {
  std::vector<std::string> lines = split_lines(text);
  for (const auto& edit : edits) {
    const int line = edit.at.line;
    if (line < 1 || static_cast<std::size_t>(line) > lines.size())
      throw UserError(edit.at.to_string() + ": no such line; the file changed since it was loaded");
    std::string& content = lines[static_cast<std::size_t>(line - 1)];
    const Found found = find_scalar(content, edit.old_value, edit.at.column);
    if (found.begin == std::string::npos)
      throw UserError(edit.at.to_string() + ": expected the value " + edit.old_value +
                      " here; the file changed since it was loaded, or the value is written in a form this edit "
                      "does not rewrite");
    content.replace(found.begin, edit.old_value.size(), edit.new_value);
  }
  std::string result;
  result.reserve(text.size() + 64);
  for (const auto& line : lines) result += line;
  return result;
}

std::string unified_diff_same_lines(const std::string& path, const std::string& before, const std::string& after) {
  const auto old_lines = split_lines(before);
  const auto new_lines = split_lines(after);
  if (old_lines.size() != new_lines.size())
    throw std::logic_error("unified_diff_same_lines: the versions differ in line count");
  std::vector<std::size_t> changed;
  for (std::size_t i = 0; i < old_lines.size(); ++i)
    if (old_lines[i] != new_lines[i]) changed.push_back(i);
  if (changed.empty()) return {};

  constexpr std::size_t k_context = 3;
  auto no_newline = [](std::string line) {
    if (!line.empty() && line.back() == '\n') line.pop_back();
    return line;
  };
  std::ostringstream out;
  out << "--- " << path << "\n+++ " << path << "\n";
  std::size_t i = 0;
  while (i < changed.size()) {
    // A hunk takes every change whose context touches the previous one's.
    std::size_t last = i;
    while (last + 1 < changed.size() && changed[last + 1] - changed[last] <= 2 * k_context) ++last;
    const std::size_t first_line = changed[i] >= k_context ? changed[i] - k_context : 0;
    const std::size_t end_line = std::min(old_lines.size(), changed[last] + k_context + 1);
    const std::size_t count = end_line - first_line;
    out << "@@ -" << first_line + 1 << ',' << count << " +" << first_line + 1 << ',' << count << " @@\n";
    for (std::size_t line = first_line; line < end_line; ++line) {
      if (old_lines[line] == new_lines[line]) {
        out << ' ' << no_newline(old_lines[line]) << '\n';
      } else {
        out << '-' << no_newline(old_lines[line]) << '\n' << '+' << no_newline(new_lines[line]) << '\n';
      }
    }
    i = last + 1;
  }
  return out.str();
}

}  // namespace chaosgate::insight
