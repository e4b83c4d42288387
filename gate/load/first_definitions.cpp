#include "load/first_definitions.h"

#include <functional>

namespace chaosgate {

std::optional<SourceLocation> FirstDefinitions::seen_before(std::string_view id, const SourceLocation& where) {
  if ((m_entries.size() + 1) * 2 > m_slots.size()) grow(m_slots.empty() ? 64 : m_slots.size() * 2);
  const std::size_t hash = std::hash<std::string_view>{}(id);
  const std::size_t slot = slot_of(id, hash);
  if (m_slots[slot] != 0) {
    const Entry& first = m_entries[m_slots[slot] - 1];
    return SourceLocation{m_files[first.file], first.line, first.column};
  }
  if (m_files.empty() || !(m_files.back() == where.file)) m_files.push_back(where.file);
  m_ids.push_back(id);
  m_entries.push_back({static_cast<std::uint32_t>(m_files.size() - 1), where.line, where.column});
  m_slots[slot] = static_cast<std::uint32_t>(m_entries.size());
  return std::nullopt;
}

std::size_t FirstDefinitions::slot_of(std::string_view id, std::size_t hash) const {
  const std::size_t mask = m_slots.size() - 1;  // a power of two
  for (std::size_t slot = hash & mask;; slot = (slot + 1) & mask)
    if (m_slots[slot] == 0 || m_ids[m_slots[slot] - 1] == id) return slot;
}

void FirstDefinitions::expect(std::size_t ids) {
  m_ids.reserve(ids, 0);  // their characters are not known yet
  m_entries.reserve(ids);
  std::size_t slots = m_slots.empty() ? 64 : m_slots.size();
  while ((ids + 1) * 2 > slots) slots *= 2;
  if (slots > m_slots.size()) grow(slots);
}

void FirstDefinitions::grow(std::size_t size) {
  std::vector<std::uint32_t> slots(size, 0);
  m_slots.swap(slots);
  for (std::uint32_t index = 0; index < m_entries.size(); ++index) {
    const std::string_view id = m_ids[index];
    m_slots[slot_of(id, std::hash<std::string_view>{}(id))] = index + 1;
  }
}

}  // namespace chaosgate
