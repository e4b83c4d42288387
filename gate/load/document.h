#pragma once
// A parsed suite file as a tree that remembers where every key and value was
// written. JSON and YAML produce the same tree, so every later step reports
// "file:line:col" the same way for both.
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "model/source_location.h"
#include "util/diagnostics.h"
#include "util/paged_text.h"

namespace chaosgate {

class Node;
// The root of a parsed file. Every node, child list, key and text of the file
// lives in one arena that the root keeps alive; everything points into it.
using NodePtr = std::shared_ptr<const Node>;

// Where a node or key was written: the file's name is kept once by the tree,
// so a position is 16 bytes and copying one bumps no shared count. Reads as
// the SourceLocation every diagnostic takes.
struct TreePosition {
  const FileName* file = nullptr;
  int line = 0;
  int column = 0;

  SourceLocation source() const { return {file ? *file : FileName{}, line, column}; }
  operator SourceLocation() const { return source(); }
  std::string to_string() const { return source().to_string(); }
};

// A read-only view of an array in the tree's arena (or, while a mapping is
// being read, of the builder's own list).
template <typename T>
class TreeSpan {
public:
  TreeSpan() = default;
  TreeSpan(const T* data, std::size_t size) : m_data(data), m_size(size) {}
  TreeSpan(const std::vector<T>& items) : m_data(items.data()), m_size(items.size()) {}

  const T* begin() const { return m_data; }
  const T* end() const { return m_data + m_size; }
  std::size_t size() const { return m_size; }
  bool empty() const { return m_size == 0; }
  const T& operator[](std::size_t i) const { return m_data[i]; }
  const T& at(std::size_t i) const {
    if (i >= m_size) throw std::out_of_range("TreeSpan::at");
    return m_data[i];
  }

private:
  const T* m_data = nullptr;
  std::size_t m_size = 0;
};

struct MapEntry {
  std::string_view key;
  TreePosition key_location;
  const Node* value = nullptr;
};

// The entry named `key`, or nullptr: a mapping's entries, or the builder's
// entries of a mapping still being read.
const MapEntry* find_entry(TreeSpan<MapEntry> entries, std::string_view key);

// 32 bytes and nothing to destroy: a 10,000-experiment suite is ~270,000
// nodes, the largest part of loading it. A node is one of its kinds, so the
// text, the items and the entries share one pointer and one length.
class Node {
public:
  enum class Kind : unsigned char { null, scalar, sequence, mapping };
  Kind kind = Kind::null;
  bool quoted = false;  // scalar was quoted: always a string, never a number or bool

private:
  friend class TreeBuilder;  // sets the contents, in the arena it owns
  // A text's length or a child count (placed here to fill the padding).
  std::uint32_t m_size = 0;

public:
  TreePosition location;

  // Each is empty unless the node is of its kind.
  std::string_view scalar() const {
    return kind == Kind::scalar ? std::string_view(static_cast<const char*>(m_data), m_size) : std::string_view();
  }
  TreeSpan<const Node*> items() const {  // sequence
    return kind == Kind::sequence ? TreeSpan<const Node*>(static_cast<const Node* const*>(m_data), m_size)
                                  : TreeSpan<const Node*>();
  }
  TreeSpan<MapEntry> entries() const {  // mapping, in file order (keys are unique)
    return kind == Kind::mapping ? TreeSpan<MapEntry>(static_cast<const MapEntry*>(m_data), m_size) : TreeSpan<MapEntry>();
  }

  // The entry's value, or nullptr when the mapping has no such key.
  const Node* find(std::string_view key) const;
  const MapEntry* find_entry(std::string_view key) const;

private:
  const void* m_data = nullptr;  // the text, the item pointers or the entries
};

// "object", "array", "string", "number", "boolean", "null": how a value reads
// in a message ("expected a string, found an array").
std::string describe_kind(const Node& node);

struct ParseLimits {
  std::size_t max_bytes = 16 * 1024 * 1024;
  int max_depth = 64;
  std::size_t max_nodes = 1000000;
};

// Where a value starts in a document's text.
struct ValueStart {
  std::size_t offset = 0;  // in bytes
  int line = 1;
  int column = 1;
};

// Parses `content` (format "json" or "yaml"). Returns nullptr after adding at
// least one error to `diagnostics` when the file is empty, not UTF-8 (BOM,
// binary, invalid sequences), not well-formed, too large or too deep, has
// duplicate keys or holds several YAML documents.
//
// With `deferred_experiments`, a JSON document's root "experiments" array is
// checked whole but left empty in the tree, and where each element starts is
// noted there: parse_json_value reads each on its own when it is decoded, so
// a large suite is never a tree at once (10,000 experiments: ~17 MB). YAML
// trees keep their elements (the list stays empty).
NodePtr parse_document(const std::string& file_name, std::string_view content,
                       std::string_view format, Diagnostics& diagnostics,
                       const ParseLimits& limits = {},
                       std::vector<ValueStart>* deferred_experiments = nullptr);
// The same for a text whose pages go back as each reading passes them (a
// large suite file): JSON is read three times here, each reading giving its
// pages back behind it where the text can (util/paged_text.h).
NodePtr parse_document(const std::string& file_name, PagedText& content, std::string_view format,
                       Diagnostics& diagnostics, const ParseLimits& limits,
                       std::vector<ValueStart>* deferred_experiments);

// The one JSON value at `start` of `content`, a document parse_document has
// accepted, as a tree of its own with the document's positions.
NodePtr parse_json_value(const FileName& file, std::string_view content, ValueStart start, Diagnostics& diagnostics,
                         const ParseLimits& limits = {});

}  // namespace chaosgate
