#pragma once
// The experiments not started yet, in priority order, for the plan's
// simulation and the scheduler alike: each pass offers them in order and
// takes out those that start. Four bytes an experiment: the std::list it
// replaces spent ~40 (a node each), ~0.4 MB at 10,000 experiments held
// through the whole run.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace chaosgate {

class WaitingQueue {
public:
  // Positions, in the order they are to be offered.
  explicit WaitingQueue(const std::vector<std::size_t>& order);

  bool empty() const { return m_waiting == 0; }
  std::size_t size() const { return m_waiting; }

  enum class Offer { not_now, started, stop };
  // Offers each waiting position, in order, until `offer` answers stop or
  // none is left; those it answers started leave the queue.
  void offer_each(const std::function<Offer(std::size_t position)>& offer);

  // Every position left, in order; the queue is empty after.
  std::vector<std::size_t> take_all();

private:
  static constexpr std::uint32_t k_started = UINT32_MAX;

  // Drops the started ones' slots once they are half of what is kept, so a
  // pass never walks far over them.
  void compact();

  std::vector<std::uint32_t> m_slots;  // positions, or k_started
  std::size_t m_head = 0;              // m_slots before it are all started
  std::size_t m_waiting = 0;
};

}  // namespace chaosgate
