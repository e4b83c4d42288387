#include "load/tree_builder.h"

#include <algorithm>
#include <cstring>
#include <memory_resource>
#include <new>
#include <type_traits>

#include "util/text.h"

namespace chaosgate {

// Everything of one document: nodes, child lists, keys and texts are carved
// out of a few large blocks and freed together with the root. Nothing in it
// needs destroying, so the blocks are simply released.
struct DocumentArena {
  DocumentArena(FileName name, std::size_t first_block) : file(std::move(name)), memory(first_block) {}
  FileName file;  // every TreePosition of the tree points here
  std::pmr::monotonic_buffer_resource memory;
};

static_assert(std::is_trivially_destructible_v<Node> && std::is_trivially_destructible_v<MapEntry>,
              "the arena releases its blocks without running destructors");
static_assert(sizeof(Node) == 32, "a node is most of a loaded suite's memory: keep it small");

namespace {
// Mappings up to this many keys are searched for duplicates; larger ones get a set.
constexpr std::size_t k_small_mapping = 16;
// A deferred element's scratch space: an experiment takes ~2 KB of nodes; a
// larger one takes more blocks, freed when it is complete.
constexpr std::size_t k_scratch_bytes = 16 * 1024;
}  // namespace

TreeBuilder::TreeBuilder(FileName file, const ParseLimits& limits, std::size_t size_hint)
    // A tree takes several times its text's size; the arena grows from there.
    : m_limits(limits), m_arena(std::make_shared<DocumentArena>(std::move(file), std::max<std::size_t>(4096, size_hint))) {}

TreeBuilder::~TreeBuilder() = default;

void TreeBuilder::defer_items_of(std::string_view key) {
  m_deferred_key = key;
  m_scratch_buffer = std::make_unique<std::byte[]>(k_scratch_bytes);
  m_scratch = std::make_unique<std::pmr::monotonic_buffer_resource>(m_scratch_buffer.get(), k_scratch_bytes);
}

// Inside a deferred element everything goes to the scratch space.
std::pmr::memory_resource& TreeBuilder::memory() {
  if (m_depth >= 2 && m_frames[1].deferred) return *m_scratch;
  return m_arena->memory;
}

NodePtr TreeBuilder::root() const { return m_root ? NodePtr(m_arena, m_root) : nullptr; }

TreePosition TreeBuilder::at(int line, int column) const { return {&m_arena->file, line, column}; }

std::string_view TreeBuilder::keep(std::string_view text) {
  if (text.empty()) return {};
  char* copy = static_cast<char*>(memory().allocate(text.size(), 1));
  std::memcpy(copy, text.data(), text.size());
  return {copy, text.size()};
}

template <typename T>
TreeSpan<T> TreeBuilder::keep(const std::vector<T>& items) {
  if (items.empty()) return {};
  T* copy = static_cast<T*>(memory().allocate(items.size() * sizeof(T), alignof(T)));
  std::uninitialized_copy(items.begin(), items.end(), copy);
  return {copy, items.size()};
}

void TreeBuilder::null(int line, int column, Anchor anchor) { finish(make(Node::Kind::null, line, column), anchor); }

void TreeBuilder::scalar(int line, int column, std::string_view value, bool quoted, Anchor anchor) {
  // A key becomes the entry's name, not a node.
  if (at_key() && anchor == 0) {
    count_value(line, column);
    take_key(value, at(line, column));
    return;
  }
  Node* node = make(Node::Kind::scalar, line, column);
  const std::string_view text = keep(value);
  node->m_data = text.data();
  node->m_size = checked_size(text.size(), node->location);
  node->quoted = quoted;
  finish(node, anchor);
}

void TreeBuilder::alias(int line, int column, Anchor anchor) {
  const auto it = m_anchors.find(anchor);
  if (it == m_anchors.end()) throw StopParsing{at(line, column), "unknown alias"};
  // An alias shares the node, but everything downstream walks it again:
  // count its whole weight so nested aliases cannot explode ("billion laughs").
  m_nodes += weight(it->second);
  if (m_nodes > m_limits.max_nodes) throw StopParsing{at(line, column), "aliases expand to too many values"};
  attach(it->second);
}

void TreeBuilder::start_sequence(int line, int column, Anchor anchor) { open(make(Node::Kind::sequence, line, column), anchor); }
void TreeBuilder::end_sequence() { close(); }

void TreeBuilder::start_mapping(int line, int column, Anchor anchor) { open(make(Node::Kind::mapping, line, column), anchor); }
void TreeBuilder::end_mapping() {
  const Frame& frame = m_frames[m_depth - 1];
  if (frame.pending_key) throw StopParsing{frame.node->location, "mapping key without a value"};
  close();
}

std::uint32_t TreeBuilder::checked_size(std::size_t size, const TreePosition& where) {
  // Only a --max-suite-bytes beyond 4 GiB could get here.
  if (size > UINT32_MAX) throw StopParsing{where, "a value or collection too large for a suite"};
  return static_cast<std::uint32_t>(size);
}

void TreeBuilder::count_value(int line, int column) {
  if (++m_nodes > m_limits.max_nodes)
    throw StopParsing{at(line, column), "more than " + std::to_string(m_limits.max_nodes) + " values; a suite this large is not supported"};
}

Node* TreeBuilder::make(Node::Kind kind, int line, int column) {
  count_value(line, column);
  Node* node = new (memory().allocate(sizeof(Node), alignof(Node))) Node{};
  node->kind = kind;
  node->location = at(line, column);
  return node;
}

bool TreeBuilder::at_key() const {
  if (m_depth == 0) return false;
  const Frame& parent = m_frames[m_depth - 1];
  return parent.node->kind == Node::Kind::mapping && !parent.pending_key;
}

void TreeBuilder::open(Node* node, Anchor anchor) {
  if (static_cast<int>(m_depth) >= m_limits.max_depth)
    throw StopParsing{node->location, "nesting deeper than " + std::to_string(m_limits.max_depth) + " levels"};
  // A collection used as a mapping key is not a field name we could ever accept.
  if (at_key()) throw StopParsing{node->location, "a mapping key must be a plain string"};
  if (m_frames.size() == m_depth) m_frames.emplace_back();
  const bool deferred = m_depth == 1 && !m_deferred_key.empty() && node->kind == Node::Kind::sequence &&
                        m_frames[0].node->kind == Node::Kind::mapping && m_frames[0].key == m_deferred_key;
  Frame& frame = m_frames[m_depth++];
  frame.node = node;
  frame.anchor = anchor;
  frame.pending_key = false;
  frame.deferred = deferred;
}

void TreeBuilder::close() {
  Frame& frame = m_frames[--m_depth];
  Node* node = frame.node;
  // Exact size: no growth slack kept.
  if (node->kind == Node::Kind::sequence) {
    const TreeSpan<const Node*> items = keep(frame.items);
    node->m_data = items.begin();
    node->m_size = checked_size(items.size(), node->location);
  } else {
    const TreeSpan<MapEntry> entries = keep(frame.entries);
    node->m_data = entries.begin();
    node->m_size = checked_size(entries.size(), node->location);
  }
  frame.items.clear();
  frame.entries.clear();
  frame.keys.clear();
  finish(node, frame.anchor);
}

void TreeBuilder::finish(const Node* node, Anchor anchor) {
  if (anchor) {
    m_anchors[anchor] = node;
    m_weights[node] = weight(node);
  }
  attach(node);
}

std::size_t TreeBuilder::weight(const Node* node) const {
  const auto it = m_weights.find(node);
  if (it != m_weights.end()) return it->second;
  std::size_t total = 1;
  for (const Node* item : node->items()) total += weight(item);
  for (const auto& entry : node->entries()) total += 1 + weight(entry.value);
  return total;
}

void TreeBuilder::attach(const Node* node) {
  if (m_depth == 0) {
    m_root = node;
    return;
  }
  Frame& parent = m_frames[m_depth - 1];
  if (parent.deferred) {
    m_scratch->release();  // the element was checked; the reader knows where it starts
    return;
  }
  if (parent.node->kind == Node::Kind::sequence) {
    parent.items.push_back(node);
    return;
  }
  if (!parent.pending_key) {
    if (node->kind != Node::Kind::scalar) throw StopParsing{node->location, "a mapping key must be a plain string"};
    take_key(node->scalar(), node->location);
    return;
  }
  parent.entries.push_back(MapEntry{parent.key, parent.key_location, node});
  parent.pending_key = false;
}

void TreeBuilder::take_key(std::string_view key, const TreePosition& location) {
  Frame& parent = m_frames[m_depth - 1];
  bool duplicate = false;
  if (parent.entries.size() < k_small_mapping) {
    duplicate = find_entry(parent.entries, key) != nullptr;
  } else {
    if (parent.keys.empty())
      for (const auto& entry : parent.entries) parent.keys.insert(entry.key);
    duplicate = parent.keys.count(key) > 0;
  }
  if (duplicate) {
    const MapEntry* first = find_entry(parent.entries, key);
    throw StopParsing{location, "duplicate key " + in_quotes(key) +
                                    (first ? " (first defined at line " + std::to_string(first->key_location.line) + ")" : "")};
  }
  parent.pending_key = true;
  parent.key = keep(key);  // `key` may be the reader's buffer: the set and the entry keep the arena's copy
  if (!parent.keys.empty()) parent.keys.insert(parent.key);
  parent.key_location = location;
}

}  // namespace chaosgate
