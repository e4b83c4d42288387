#pragma once
// The first difference between two document trees, and a reading's first
// diagnostic, for the tests and the fuzzer that compare our readers with yaml-cpp.
#include <string>
#include <vector>

#include "load/tree_readers.h"

#include "load/document.h"

namespace chaosgate::test {

// The first diagnostic as printed, or "" when there is none.
inline std::string first_message(const Diagnostics& diagnostics) {
  return diagnostics.items().empty() ? "" : diagnostics.items().front().to_string();
}

inline std::string where(const SourceLocation& location) {
  return location.file.str() + ":" + std::to_string(location.line) + ":" + std::to_string(location.column);
}

// Whether first_difference holds the two trees' positions to each other too.
enum class Positions { compared, ignored };

// "path: what differs", or "" when both trees are the same node by node:
// kinds, texts, keys and, unless ignored, positions.
inline std::string first_difference(const Node& ours, const Node& theirs, Positions positions = Positions::compared,
                                    const std::string& path = "$") {
  const bool with_positions = positions == Positions::compared;
  if (ours.kind != theirs.kind) return path + ": kind " + describe_kind(ours) + " vs " + describe_kind(theirs);
  if (ours.scalar() != theirs.scalar())
    return path + ": text \"" + std::string(ours.scalar()) + "\" vs \"" + std::string(theirs.scalar()) + "\"";
  if (ours.quoted != theirs.quoted) return path + ": quoted " + std::to_string(ours.quoted) + " vs " + std::to_string(theirs.quoted);
  if (with_positions && where(ours.location) != where(theirs.location)) return path + ": at " + where(ours.location) + " vs " + where(theirs.location);
  if (ours.items().size() != theirs.items().size()) return path + ": " + std::to_string(ours.items().size()) + " items vs " + std::to_string(theirs.items().size());
  for (std::size_t i = 0; i < ours.items().size(); ++i)
    if (auto difference = first_difference(*ours.items()[i], *theirs.items()[i], positions, path + "[" + std::to_string(i) + "]");
        !difference.empty())
      return difference;
  if (ours.entries().size() != theirs.entries().size()) return path + ": " + std::to_string(ours.entries().size()) + " entries vs " + std::to_string(theirs.entries().size());
  for (std::size_t i = 0; i < ours.entries().size(); ++i) {
    const MapEntry& a = ours.entries()[i];
    const MapEntry& b = theirs.entries()[i];
    const std::string key(a.key);
    if (a.key != b.key) return path + ": key \"" + key + "\" vs \"" + std::string(b.key) + "\"";
    if (with_positions && where(a.key_location) != where(b.key_location))
      return path + "." + key + ": key at " + where(a.key_location) + " vs " + where(b.key_location);
    if (auto difference = first_difference(*a.value, *b.value, positions, path + "." + key); !difference.empty()) return difference;
  }
  return "";
}

inline std::string messages(const Diagnostics& diagnostics) {
  std::string out;
  for (const auto& item : diagnostics.items()) out += item.to_string() + "\n";
  return out;
}

// JSON `content` read whole and with its experiments deferred must give the
// same diagnostics; the deferred tree is the whole one but for the elements
// of the root's "experiments", and each element read alone from where it was
// noted is the whole tree's. "what differs", or "" when so.
inline std::string deferral_difference(std::string_view content, const ParseLimits& limits = {}) {
  const FileName file("deferral.json");
  Diagnostics whole_diagnostics;
  Diagnostics deferred_diagnostics;
  std::vector<ValueStart> starts;
  const NodePtr whole = tree_from_json(file, content, whole_diagnostics, limits);
  const NodePtr deferred = tree_from_json(file, content, deferred_diagnostics, limits, &starts);
  if (messages(whole_diagnostics) != messages(deferred_diagnostics))
    return "diagnostics: " + messages(whole_diagnostics) + " vs " + messages(deferred_diagnostics);
  if (!whole || !deferred) return !whole && !deferred && starts.empty() ? "" : "one tree is missing, or elements noted without one";
  const Node* list = whole->kind == Node::Kind::mapping ? whole->find("experiments") : nullptr;
  if (!list || list->kind != Node::Kind::sequence)
    return !starts.empty() ? "elements noted outside a root \"experiments\" array" : first_difference(*whole, *deferred);
  if (starts.size() != list->items().size())
    return std::to_string(starts.size()) + " elements noted, " + std::to_string(list->items().size()) + " in the array";
  for (std::size_t i = 0; i < starts.size(); ++i) {
    Diagnostics alone;
    const NodePtr item = parse_json_value(file, content, starts[i], alone, limits);
    if (!item) return "element " + std::to_string(i) + " not read alone: " + messages(alone);
    if (auto difference = first_difference(*list->items()[i], *item, Positions::compared, "$.experiments[" + std::to_string(i) + "]"); !difference.empty())
      return difference;
  }
  if (whole->entries().size() != deferred->entries().size()) return "root entries differ in number";
  for (std::size_t i = 0; i < whole->entries().size(); ++i) {
    const MapEntry& a = whole->entries()[i];
    const MapEntry& b = deferred->entries()[i];
    if (a.key != b.key || where(a.key_location) != where(b.key_location)) return "root key " + std::string(a.key) + " differs";
    if (a.value == list) {
      if (b.value->kind != Node::Kind::sequence || !b.value->items().empty() || where(b.value->location) != where(list->location))
        return "the deferred array is not an empty array in the same place";
    } else if (auto difference = first_difference(*a.value, *b.value, Positions::compared, "$." + std::string(a.key)); !difference.empty()) {
      return difference;
    }
  }
  return "";
}

}  // namespace chaosgate::test
