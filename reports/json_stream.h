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
// (its first occurrence at or after `from`), then the elements that
// `next(JsonText&)` writes until it returns false, then "]". Returns the
// position in `skeleton` just after the empty array, where writing goes on.
// Throws std::logic_error when the skeleton lacks the empty array.
template <typename Next>
std::size_t append_array_text(AtomicFile& file, std::string_view skeleton, std::size_t from, std::string_view key, Next&& next);

// --- implementation ---
std::size_t find_empty_array(std::string_view skeleton, std::size_t from, std::string_view key, std::string& indent);

// Writes the skeleton up to and including the `[` of "key": []; returns the
// position of that `[` in the skeleton and sets `indent` to the key's line's.
inline std::size_t open_array(AtomicFile& file, std::string_view skeleton, std::size_t from, std::string_view key,
                              std::string& indent) {
  const std::size_t open = find_empty_array(skeleton, from, key, indent) + key.size() + 4;  // "key": [
  file.append(skeleton.substr(from, open + 1 - from));
  return open;
}

// Closes the array: on its own line when it had elements.
inline void close_array(AtomicFile& file, bool empty, std::string_view indent) {
  if (!empty) {
    file.append("\n");
    file.append(indent);
  }
  file.append("]");
}

template <typename Next>
std::size_t append_array_text(AtomicFile& file, std::string_view skeleton, std::size_t from, std::string_view key, Next&& next) {
  std::string indent;
  const std::size_t open = open_array(file, skeleton, from, key, indent);
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
  close_array(file, first, indent);
  return open + 2;
}

}  // namespace chaosgate
