#pragma once
// Small text helpers shared by the loader, the CLI and the reports.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace chaosgate {

// Levenshtein distance, capped: returns max_distance + 1 once exceeded.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t max_distance = 3);

// The candidate closest to `word` within a small edit distance, if any; for
// "did you mean" hints.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);
std::optional<std::string> closest_match(std::string_view word, std::span<const std::string_view> candidates);

// Glob match with `*` (any run, not `/` when `path_mode`), `**` (anything),
// `?` (one character) and `[abc]`.
bool glob_match(std::string_view pattern, std::string_view text, bool path_mode = false);

// Offset of the first invalid UTF-8 sequence, or nullopt when `text` is valid.
std::optional<std::size_t> find_invalid_utf8(std::string_view text);

// Length of the valid UTF-8 sequence at `text[i]` and its code point, or 0
// when the bytes there are not a valid (shortest-form, non-surrogate,
// <= U+10FFFF) sequence or are cut off by the end of `text`.
std::size_t decode_utf8(std::string_view text, std::size_t i, char32_t& code_point);

// Appends `code_point` (<= U+10FFFF) as UTF-8: what a JSON \uXXXX escape means.
void append_utf8(std::string& out, char32_t code_point);

// 1-based line and column of byte `offset` in `text` (column counts bytes).
std::pair<int, int> line_and_column(std::string_view text, std::size_t offset);

// True for an http:// or https:// URL: the only ones the reports and tickets link.
bool is_web_url(std::string_view text);

std::string join(const std::vector<std::string>& parts, std::string_view separator);
std::string join(std::span<const std::string_view> parts, std::string_view separator);

// Percent-encodes everything but RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~),
// for query values and path segments.
std::string percent_encode(std::string_view text);

// JSON string quoting for messages: "a\"b".
std::string in_quotes(std::string_view text);

}  // namespace chaosgate
