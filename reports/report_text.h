#pragma once
// Text from the outside world (probe output, suite prose) made safe for the
// report formats: XML 1.0, JSON and Markdown all need valid UTF-8 without
// most control characters, and every report needs bounded sizes.
#include <cstddef>
#include <string>
#include <string_view>

namespace chaosgate {

// Returns `text` as valid UTF-8: each invalid byte sequence becomes U+FFFD,
// C0/C1 control characters, DEL, U+FFFE and U+FFFF are removed, except tab
// and line feed (carriage returns are dropped too). When `keep_newlines` is
// false, tabs and line feeds become one space each.
std::string clean_text(std::string_view text, bool keep_newlines = true);

// clean_text, then cut to at most `max_bytes` bytes on a code-point boundary,
// ending with "… [cut, N bytes in all]" when something was cut (the marker counts
// towards `max_bytes`; when it does not fit, the text is cut without it).
std::string clean_text_capped(std::string_view text, std::size_t max_bytes, bool keep_newlines = true);

// The largest prefix of valid UTF-8 `text` of at most `max_bytes` bytes that
// does not split a code point.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

}  // namespace chaosgate
