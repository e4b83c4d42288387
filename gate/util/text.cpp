#include "util/text.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace chaosgate {

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t max_distance) {
  const std::size_t longer = std::max(a.size(), b.size());
  const std::size_t shorter = std::min(a.size(), b.size());
  if (longer - shorter > max_distance) return max_distance + 1;
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    std::size_t row_min = row[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
      row_min = std::min(row_min, row[j]);
    }
    if (row_min > max_distance) return max_distance + 1;
  }
  return std::min(row[b.size()], max_distance + 1);
}

namespace {
template <typename Candidates>
std::optional<std::string> closest_of(std::string_view word, const Candidates& candidates) {
  // Allow roughly one typo per four characters, at least one, at most three.
  const std::size_t allowed = std::clamp<std::size_t>(word.size() / 4, 1, 3);
  std::optional<std::string> best;
  std::size_t best_distance = allowed + 1;
  for (const auto& candidate : candidates) {
    const std::size_t d = edit_distance(word, candidate, allowed);
    if (d < best_distance) {
      best_distance = d;
      best = std::string(candidate);
    }
  }
  return best;
}
}  // namespace

std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  return closest_of(word, candidates);
}

std::optional<std::string> closest_match(std::string_view word, std::span<const std::string_view> candidates) {
  return closest_of(word, candidates);
}

namespace {

// Memoised matcher: each (pattern position, text position) pair is decided
// once, so any pattern costs at most O(pattern x text) steps.
class GlobMatcher {
public:
  GlobMatcher(std::string_view pattern, std::string_view text, bool path_mode)
      : m_p(pattern), m_t(text), m_path_mode(path_mode), m_memo((pattern.size() + 1) * (text.size() + 1), 0) {}

  bool match(std::size_t pi, std::size_t ti) {
    char& memo = m_memo[pi * (m_t.size() + 1) + ti];
    if (memo) return memo == 1;
    const bool result = decide(pi, ti);
    memo = result ? 1 : 2;
    return result;
  }

private:
  bool decide(std::size_t pi, std::size_t ti) {
    if (pi == m_p.size()) return ti == m_t.size();
    if (m_p.compare(pi, 2, "**") == 0) {
      std::size_t rest = pi + 2;
      if (rest < m_p.size() && m_p[rest] == '/') ++rest;  // "a/**/b" also matches "a/b"
      for (std::size_t k = ti; k <= m_t.size(); ++k)
        if (match(rest, k)) return true;
      return false;
    }
    if (m_p[pi] == '*') {
      // Zero characters, or one more (not a '/' in path mode) and stay on '*'.
      if (match(pi + 1, ti)) return true;
      return ti < m_t.size() && !(m_path_mode && m_t[ti] == '/') && match(pi, ti + 1);
    }
    if (ti == m_t.size()) return false;
    if (m_p[pi] == '[') {
      const std::size_t close = m_p.find(']', pi + 1);
      if (close == std::string_view::npos) return false;
      return m_p.substr(pi + 1, close - pi - 1).find(m_t[ti]) != std::string_view::npos && match(close + 1, ti + 1);
    }
    if (m_p[pi] == '?') return !(m_path_mode && m_t[ti] == '/') && match(pi + 1, ti + 1);
    return m_p[pi] == m_t[ti] && match(pi + 1, ti + 1);
  }

  std::string_view m_p, m_t;
  bool m_path_mode;
  std::vector<char> m_memo;  // 0 unknown, 1 match, 2 no match
};

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text, bool path_mode) {
  if (pattern.size() > 4096 || text.size() > 4096) return false;  // bounds the memo table and the recursion
  return GlobMatcher(pattern, text, path_mode).match(0, 0);
}

std::size_t decode_utf8(std::string_view text, std::size_t i, char32_t& code_point) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  char32_t min = 0;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, min = 0x80, code_point = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, min = 0x800, code_point = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, min = 0x10000, code_point = lead & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(k) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(k) & 0x3F);
  }
  // Overlong forms, surrogates and values above U+10FFFF are invalid UTF-8.
  if (code_point < min || (code_point >= 0xD800 && code_point <= 0xDFFF) || code_point > 0x10FFFF) return 0;
  return length;
}


void append_utf8(std::string& out, char32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

std::optional<std::size_t> find_invalid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    std::size_t len = 0;
    unsigned int min = 0;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xE0) == 0xC0) { len = 2; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { len = 3; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { len = 4; min = 0x10000; }
    else return i;
    if (i + len > n) return i;
    unsigned int cp = c & (0xFF >> (len + 1));
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid too.
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::nullopt;
}

std::pair<int, int> line_and_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, static_cast<int>(offset - line_start) + 1};
}

namespace {
template <typename Parts>
std::string join_parts(const Parts& parts, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += separator;
    out += parts[i];
  }
  return out;
}
}  // namespace

bool is_web_url(std::string_view text) { return text.starts_with("https://") || text.starts_with("http://"); }

std::string join(const std::vector<std::string>& parts, std::string_view separator) { return join_parts(parts, separator); }

std::string join(std::span<const std::string_view> parts, std::string_view separator) { return join_parts(parts, separator); }

std::string percent_encode(std::string_view text) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += k_hex[byte >> 4];
      out += k_hex[byte & 0xF];
    }
  }
  return out;
}

std::string in_quotes(std::string_view text) {
  return nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace chaosgate
