#include "plan/waiting_queue.h"

#include <stdexcept>

namespace chaosgate {

WaitingQueue::WaitingQueue(const std::vector<std::size_t>& order) : m_waiting(order.size()) {
  m_slots.reserve(order.size());
  for (const std::size_t position : order) {
    if (position >= k_started) throw std::length_error("WaitingQueue: position out of range");
    m_slots.push_back(static_cast<std::uint32_t>(position));
  }
}

void WaitingQueue::offer_each(const std::function<Offer(std::size_t position)>& offer) {
  for (std::size_t i = m_head; i < m_slots.size() && m_waiting > 0; ++i) {
    if (m_slots[i] == k_started) continue;
    const Offer answer = offer(m_slots[i]);
    if (answer == Offer::stop) break;
    if (answer == Offer::started) {
      m_slots[i] = k_started;
      --m_waiting;
    }
  }
  while (m_head < m_slots.size() && m_slots[m_head] == k_started) ++m_head;
  compact();
}

std::vector<std::size_t> WaitingQueue::take_all() {
  std::vector<std::size_t> left;
  left.reserve(m_waiting);
  for (std::size_t i = m_head; i < m_slots.size(); ++i)
    if (m_slots[i] != k_started) left.push_back(m_slots[i]);
  m_slots.clear();
  m_head = 0;
  m_waiting = 0;
  return left;
}

void WaitingQueue::compact() {
  const std::size_t kept = m_slots.size() - m_head;
  if (kept - m_waiting <= kept / 2) return;
  std::erase(m_slots, k_started);
  m_head = 0;
}

}  // namespace chaosgate
