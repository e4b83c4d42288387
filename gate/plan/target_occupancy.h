#pragma once
// Which targets the running experiments hold. Targets are numbered once, so
// "may this experiment start beside those running?" is a few array reads, not
// a comparison of target names with every running experiment; the plan and
// the scheduler stay near-linear in the size of the suite (10,000
// experiments: the plan took 2 s when every pair of experiments was compared).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "model/experiment_outline.h"

namespace chaosgate {

class TargetOccupancy {
 public:
  // Experiments are named by their position in `experiments` from then on.
  explicit TargetOccupancy(const std::vector<const ExperimentOutline*>& experiments);

  // The experiment's targets as numbers, sorted; empty = unknown blast radius.
  std::span<const std::uint32_t> targets_of(std::size_t experiment) const;
  std::size_t target_count() const { return m_holders.size(); }

  // True when it conflicts with nothing running: no shared target, and
  // neither it nor anything running is without targets.
  bool is_free_for(std::size_t experiment) const;
  void occupy(std::size_t experiment);
  void release(std::size_t experiment);

  std::size_t running() const { return m_running; }
  // Nothing at all could start: one without targets runs, or every target is held.
  bool all_blocked() const { return m_running_without_targets > 0 || (m_held_targets == m_holders.size() && m_running > 0); }

 private:
  std::vector<std::uint32_t> m_first;       // experiment i's targets: m_ids[m_first[i] .. m_first[i + 1])
  std::vector<std::uint32_t> m_ids;
  std::vector<std::uint32_t> m_holders;     // per target: running experiments on it
  std::size_t m_held_targets = 0;
  std::size_t m_running = 0;
  std::size_t m_running_without_targets = 0;
};

}  // namespace chaosgate
