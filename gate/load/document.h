#pragma once
// A parsed suite file as a tree that remembers where every key and value was
// written. JSON and YAML produce the same tree, so every later step reports
// "file:line:col" the same way for both.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/source_location.h"
#include "util/diagnostics.h"

namespace chaosgate {

struct Node;
// The root of a parsed file. Every node of the file lives in one arena that the
// root keeps alive; children point into it and live exactly as long.
using NodePtr = std::shared_ptr<const Node>;

struct MapEntry {
  std::string key;
  SourceLocation key_location;
  const Node* value = nullptr;
};

// The entry named `key`, or nullptr: a mapping's entries, or the builder's
// entries of a mapping still being read.
const MapEntry* find_entry(const std::vector<MapEntry>& entries, std::string_view key);

struct Node {
  enum class Kind { null, scalar, sequence, mapping };
  Kind kind = Kind::null;
  std::string scalar;   // text of a scalar
  bool quoted = false;  // scalar was quoted: always a string, never a number or bool
  std::vector<const Node*> items;  // sequence
  std::vector<MapEntry> entries;   // mapping, in file order (keys are unique)
  SourceLocation location;

  // The entry's value, or nullptr when the mapping has no such key.
  const Node* find(std::string_view key) const;
  const MapEntry* find_entry(std::string_view key) const;
};

// "object", "array", "string", "number", "boolean", "null": how a value reads
// in a message ("expected a string, found an array").
std::string describe_kind(const Node& node);

struct ParseLimits {
  std::size_t max_bytes = 16 * 1024 * 1024;
  int max_depth = 64;
  std::size_t max_nodes = 1000000;
};

// Parses `content` (format "json" or "yaml"). Returns nullptr after adding at
// least one error to `diagnostics` when the file is empty, not UTF-8 (BOM,
// binary, invalid sequences), not well-formed, too large or too deep, has
// duplicate keys or holds several YAML documents.
NodePtr parse_document(const std::string& file_name, std::string_view content,
                       std::string_view format, Diagnostics& diagnostics,
                       const ParseLimits& limits = {});

}  // namespace chaosgate
