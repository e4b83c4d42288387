#pragma once
// The experiment ids seen while a suite loads, each with where it was first
// defined, for the duplicate check. Kept through the whole load, at its peak,
// so small: the ids in a TextList (their characters and 4 bytes each), 12
// bytes of entry and an open-addressing table of 4-byte slots, ~45 bytes an
// id where a node-based map of strings to locations took ~135 (1.35 MB at
// 10,000 experiments).
// Its blocks are few and, once large, mappings of their own, so they go back
// to the kernel after the load.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "model/source_location.h"
#include "model/text_list.h"

namespace chaosgate {

class FirstDefinitions {
public:
  // Where `id` was first defined; nullopt when this is its first time, which
  // is then remembered as being at `where`.
  std::optional<SourceLocation> seen_before(std::string_view id, const SourceLocation& where);
  std::size_t size() const { return m_entries.size(); }
  // Room for `ids` up front: grown by doubling, the entries' old and new
  // arrays were held at once (~0.3 MB of a 10,000-experiment load's peak).
  void expect(std::size_t ids);

private:
  // Where m_ids[i] was first defined.
  struct Entry {
    std::uint32_t file = 0;  // in m_files
    std::int32_t line = 0;
    std::int32_t column = 0;
  };
  // The slot holding `id`, or the empty one where it would go.
  std::size_t slot_of(std::string_view id, std::size_t hash) const;
  void grow(std::size_t slots);  // a power of two

  TextList m_ids;  // in the order first seen
  std::vector<Entry> m_entries;
  std::vector<FileName> m_files;        // experiments come file by file: a new one is pushed when it changes
  std::vector<std::uint32_t> m_slots;   // 0: empty; else an entry's index + 1. At most half full
};

}  // namespace chaosgate
