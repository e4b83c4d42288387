#include "report_text.h"

namespace chaosgate {

namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence at `text[i]` and its code point, or 0
// when the bytes there are not a valid (shortest-form, non-surrogate) sequence.
std::size_t decode(std::string_view text, std::size_t i, char32_t& code_point) {
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

}  // namespace

std::string clean_text(std::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t c = 0;
    const std::size_t length = decode(text, i, c);
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
