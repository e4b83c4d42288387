#pragma once
// Where two long texts first differ, for tests that compare whole reports:
// gtest's own message for two unequal multi-line strings is an edit-distance
// diff of their lines, which for two journals took the machine's 24 GiB.
#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace chaosgate::test {

// "" when the texts are equal; otherwise the line and byte of the first
// difference and up to 60 bytes of each text from there.
inline std::string first_text_difference(std::string_view ours, std::string_view theirs) {
  const auto [in_ours, in_theirs] = std::mismatch(ours.begin(), ours.end(), theirs.begin(), theirs.end());
  if (in_ours == ours.end() && in_theirs == theirs.end()) return "";
  const auto at = static_cast<std::size_t>(in_ours - ours.begin());
  const auto line = 1 + std::count(ours.begin(), in_ours, '\n');
  return "line " + std::to_string(line) + ", byte " + std::to_string(at) + ": \"" + std::string(ours.substr(at, 60)) +
         "\" vs \"" + std::string(theirs.substr(at, 60)) + "\"";
}

}  // namespace chaosgate::test
