#include "report_text.h"

#include "util/text.h"

namespace chaosgate {

namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

std::string clean_text(std::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    // A run of printable ASCII, most of any report's text, is kept as it is.
    std::size_t end = i;
    while (end < text.size() && static_cast<unsigned char>(text[end]) >= 0x20 && static_cast<unsigned char>(text[end]) < 0x7F) ++end;
    if (end > i) {
      out.append(text.data() + i, end - i);
      i = end;
      continue;
    }
    char32_t c = 0;
    const std::size_t length = decode_utf8(text, i, c);
    if (length == 0) {
      out += k_replacement;
      ++i;
      continue;
    }
    if (c == '\t' || c == '\n') {
      out += keep_newlines ? static_cast<char>(c) : ' ';
    } else if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0xFFFE || c == 0xFFFF) {
      // Dropped: XML 1.0 forbids most of them, and terminals and renderers
      // act on the rest (ANSI colour codes in probe output).
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

std::string clean_text_capped(std::string_view text, std::size_t max_bytes, bool keep_newlines) {
  // Cleaning never shrinks text by more than 4x (one byte -> 3-byte U+FFFD at
  // worst grows it), so a long input is trimmed first: a 1 GB probe body must
  // not be copied whole to keep its first kilobyte.
  const bool trimmed = text.size() > 4 * max_bytes + 64;
  std::string clean = clean_text(trimmed ? text.substr(0, 4 * max_bytes + 64) : text, keep_newlines);
  if (!trimmed && clean.size() <= max_bytes) return clean;
  const std::string marker = "\xE2\x80\xA6 [cut, " + std::to_string(text.size()) + " bytes in all]";
  if (max_bytes < marker.size() + 8) return std::string(utf8_prefix(clean, max_bytes));
  std::string out(utf8_prefix(clean, max_bytes - marker.size()));
  out += marker;
  return out;
}

}  // namespace chaosgate
