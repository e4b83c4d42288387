#pragma once
// The first difference between two document trees, for the tests and the
// fuzzer that compare our JSON reader with yaml-cpp.
#include <string>

#include "load/document.h"

namespace chaosgate::test {

inline std::string where(const SourceLocation& location) {
  return location.file.str() + ":" + std::to_string(location.line) + ":" + std::to_string(location.column);
}

// "path: what differs", or "" when both trees are the same node by node, positions included.
inline std::string first_difference(const Node& ours, const Node& theirs, const std::string& path = "$") {
  if (ours.kind != theirs.kind) return path + ": kind " + describe_kind(ours) + " vs " + describe_kind(theirs);
  if (ours.scalar() != theirs.scalar())
    return path + ": text \"" + std::string(ours.scalar()) + "\" vs \"" + std::string(theirs.scalar()) + "\"";
  if (ours.quoted != theirs.quoted) return path + ": quoted " + std::to_string(ours.quoted) + " vs " + std::to_string(theirs.quoted);
  if (where(ours.location) != where(theirs.location)) return path + ": at " + where(ours.location) + " vs " + where(theirs.location);
  if (ours.items().size() != theirs.items().size()) return path + ": " + std::to_string(ours.items().size()) + " items vs " + std::to_string(theirs.items().size());
  for (std::size_t i = 0; i < ours.items().size(); ++i)
    if (auto difference = first_difference(*ours.items()[i], *theirs.items()[i], path + "[" + std::to_string(i) + "]"); !difference.empty())
      return difference;
  if (ours.entries().size() != theirs.entries().size()) return path + ": " + std::to_string(ours.entries().size()) + " entries vs " + std::to_string(theirs.entries().size());
  for (std::size_t i = 0; i < ours.entries().size(); ++i) {
    const MapEntry& a = ours.entries()[i];
    const MapEntry& b = theirs.entries()[i];
    const std::string key(a.key);
    if (a.key != b.key) return path + ": key \"" + key + "\" vs \"" + std::string(b.key) + "\"";
    if (where(a.key_location) != where(b.key_location)) return path + "." + key + ": key at " + where(a.key_location) + " vs " + where(b.key_location);
    if (auto difference = first_difference(*a.value, *b.value, path + "." + key); !difference.empty()) return difference;
  }
  return "";
}

}  // namespace chaosgate::test
