#pragma once
// Builds a document's tree from parse events (libyaml's for YAML, our own
// reader's for JSON) and checks duplicate keys, depth, size and alias
// expansion as it goes, so a hostile file is rejected before it costs memory
// or stack. Every node, child list, key and text lives in one arena; the root
// handed out keeps it alive.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <memory_resource>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "load/document.h"

namespace chaosgate {

// Thrown by the builder to stop the parser; carries the diagnostic.
struct StopParsing {
  SourceLocation where;
  std::string message;
};

struct DocumentArena;

class TreeBuilder {
public:
  using Anchor = std::size_t;  // 0: no anchor; else a number per anchor definition

  // `size_hint`: the document's length, to size the arena's first block.
  TreeBuilder(FileName file, const ParseLimits& limits, std::size_t size_hint = 0);
  ~TreeBuilder();

  // Positions are 1-based, as SourceLocation holds them.
  void null(int line, int column, Anchor anchor = 0);
  void scalar(int line, int column, std::string_view value, bool quoted, Anchor anchor = 0);
  void alias(int line, int column, Anchor anchor);
  void start_sequence(int line, int column, Anchor anchor = 0);
  void end_sequence();
  void start_mapping(int line, int column, Anchor anchor = 0);
  void end_mapping();

  // Deferral: the elements of the root mapping's array `key` are checked as
  // they are read (limits, duplicate keys) but not kept: each is built in a
  // scratch buffer that is reset once it is complete, and the array stays
  // empty in the tree. The reader notes where each starts, to parse it again
  // on its own when it is needed (a large suite's tree was its load's peak).
  void defer_items_of(std::string_view key);
  // The next value read is an element to defer.
  bool next_value_deferred() const { return m_depth == 2 && m_frames[1].deferred; }

  // The whole document's root once a value was read; nullptr before.
  NodePtr root() const;
  TreePosition at(int line, int column) const;

private:
  struct Frame {
    Node* node = nullptr;
    Anchor anchor = 0;
    bool pending_key = false;  // mappings: a key was read, its value comes next
    std::string_view key;  // in the arena
    TreePosition key_location;
    // Children gathered here, then copied into the node at its exact size;
    // frames are reused per depth, so these buffers are too.
    std::vector<const Node*> items;
    std::vector<MapEntry> entries;
    std::unordered_set<std::string_view> keys;  // only for large mappings: small ones are searched
    bool deferred = false;  // the array whose elements are deferred (depth 1 only)
  };

  void count_value(int line, int column);
  static std::uint32_t checked_size(std::size_t size, const TreePosition& where);
  Node* make(Node::Kind kind, int line, int column);
  bool at_key() const;
  void open(Node* node, Anchor anchor);
  void close();
  void finish(const Node* node, Anchor anchor);
  std::size_t weight(const Node* node) const;
  void attach(const Node* node);
  void take_key(std::string_view key, const TreePosition& location);
  std::pmr::memory_resource& memory();
  std::string_view keep(std::string_view text);
  template <typename T>
  TreeSpan<T> keep(const std::vector<T>& items);

  ParseLimits m_limits;
  std::shared_ptr<DocumentArena> m_arena;
  std::vector<Frame> m_frames;  // [0, m_depth) are open
  std::size_t m_depth = 0;
  std::map<Anchor, const Node*> m_anchors;
  std::map<const Node*, std::size_t> m_weights;  // subtree sizes of anchored nodes
  const Node* m_root = nullptr;
  std::size_t m_nodes = 0;
  std::string m_deferred_key;  // empty: nothing deferred
  std::unique_ptr<std::byte[]> m_scratch_buffer;
  std::unique_ptr<std::pmr::monotonic_buffer_resource> m_scratch;  // a deferred element's nodes and texts
};

}  // namespace chaosgate
