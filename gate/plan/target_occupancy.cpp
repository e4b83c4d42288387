#include "plan/target_occupancy.h"

#include <algorithm>
#include <cassert>
#include <string_view>
#include <unordered_map>

namespace chaosgate {

TargetOccupancy::TargetOccupancy(const std::vector<const ExperimentOutline*>& experiments) {
  std::unordered_map<std::string_view, std::uint32_t> numbers;
  m_first.reserve(experiments.size() + 1);
  for (const ExperimentOutline* experiment : experiments) {
    m_first.push_back(static_cast<std::uint32_t>(m_ids.size()));
    for (const auto& target : experiment->targets)
      m_ids.push_back(numbers.try_emplace(target, static_cast<std::uint32_t>(numbers.size())).first->second);
    const auto begin = m_ids.begin() + m_first.back();
    std::sort(begin, m_ids.end());
    m_ids.erase(std::unique(begin, m_ids.end()), m_ids.end());  // a target named twice is held once
  }
  m_first.push_back(static_cast<std::uint32_t>(m_ids.size()));
  m_holders.assign(numbers.size(), 0);
}

std::span<const std::uint32_t> TargetOccupancy::targets_of(std::size_t experiment) const {
  return {m_ids.data() + m_first[experiment], m_ids.data() + m_first[experiment + 1]};
}

bool TargetOccupancy::is_free_for(std::size_t experiment) const {
  if (m_running_without_targets > 0) return false;
  const auto targets = targets_of(experiment);
  if (targets.empty()) return m_running == 0;
  return std::none_of(targets.begin(), targets.end(), [&](std::uint32_t t) { return m_holders[t] > 0; });
}

void TargetOccupancy::occupy(std::size_t experiment) {
  ++m_running;
  const auto targets = targets_of(experiment);
  if (targets.empty()) ++m_running_without_targets;
  for (const auto t : targets)
    if (m_holders[t]++ == 0) ++m_held_targets;
}

void TargetOccupancy::release(std::size_t experiment) {
  assert(m_running > 0);
  --m_running;
  const auto targets = targets_of(experiment);
  if (targets.empty()) --m_running_without_targets;
  for (const auto t : targets)
    if (--m_holders[t] == 0) --m_held_targets;
}

}  // namespace chaosgate
