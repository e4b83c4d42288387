#pragma once
// Large JSON reports written one array element at a time, byte for byte what
// the whole document's dump(2) would give, without holding the document or
// its text (a 10,000-experiment journal is ~200 MB, its SARIF ~20 MB).
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "json_text.h"
#include "util/atomic_file.h"

namespace chaosgate {

// dump(2) as every report prints JSON: UTF-8 kept, invalid UTF-8 replaced.
std::string dump_json(const nlohmann::json& value);

// Writes the pretty-printed `skeleton` text up to the empty array `"key": []`
// (its first occurrence at or after `from`), then the elements that `next`
// returns (as dump_json texts) until it returns false, then "]". Returns the
// position in `skeleton` just after the empty array, where writing goes on.
// Throws std::logic_error when the skeleton lacks the empty array.
template <typename Next>
std::size_t append_array(AtomicFile& file, std::string_view skeleton, std::size_t from, std::string_view key, Next&& next);

// append_array, with each element written by `next(JsonText&)` (returning
// false when there are no more) instead of given as dump_json text.
template <typename Next>
std::size_t append_array_text(AtomicFile& file, std::string_view skeleton, std::size_t from, std::string_view key, Next&& next);

// Appends a pretty-printed value re-indented to sit `indent` spaces deeper.
void append_indented(AtomicFile& file, std::string_view text, std::string_view indent);

// --- implementation ---
std::size_t find_empty_array(std::string_view skeleton, std::size_t from, std::string_view key, std::string& indent);

template <typename Next>
std::size_t append_array(AtomicFile& file, std::string_view skeleton, std::size_t from, std::string_view key, Next&& next) {
  std::string indent;
  const std::size_t at = find_empty_array(skeleton, from, key, indent);
  const std::size_t open = at + key.size() + 4;  // "key": [
  file.append(skeleton.substr(from, open + 1 - from));
  std::string element;
  bool first = true;
  while (next(element)) {
    file.append(first ? "\n" : ",\n");
    first = false;
    append_indented(file, element, indent + "  ");
  }
  if (!first) {
    file.append("\n");
    file.append(indent);
  }
  file.append("]");
  return open + 2;
}

template <typename Next>
std::size_t append_array_text(AtomicFile& file, std::string_view skeleton, std::size_t from, std::string_view key, Next&& next) {
  std::string indent;
  const std::size_t at = find_empty_array(skeleton, from, key, indent);
  const std::size_t open = at + key.size() + 4;  // "key": [
  file.append(skeleton.substr(from, open + 1 - from));
  std::string element;
  bool first = true;
  while (true) {
    element.assign(first ? "\n" : ",\n");
    element.append(indent.size() + 2, ' ');
    JsonText out(element, indent.size() + 2);
    if (!next(out)) break;
    first = false;
    file.append(element);
  }
  if (!first) {
    file.append("\n");
    file.append(indent);
  }
  file.append("]");
  return open + 2;
}

}  // namespace chaosgate
