#pragma once
// A stop flag that sleeping threads can wait on: pauses, samplers and the
// scheduler wake at once when an experiment is aborted or the gate interrupted.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

namespace chaosgate {

class Cancellation {
public:
  // The first reason wins; later calls only wake waiters again.
  void cancel(const std::string& reason) {
    {
      std::lock_guard lock(m_mutex);
      if (!m_cancelled) m_reason = reason;
      m_cancelled = true;
    }
    m_changed.notify_all();
  }
  bool cancelled() const {
    std::lock_guard lock(m_mutex);
    return m_cancelled;
  }
  std::string reason() const {
    std::lock_guard lock(m_mutex);
    return m_reason;
  }
  // Sleeps until `deadline`; returns false when woken early by cancel().
  // (const: waiting changes nothing, and holders of a const pointer, such as
  // an HTTP request's stop, wait on it too.)
  template <typename TimePoint>
  bool sleep_until(TimePoint deadline) const {
    std::unique_lock lock(m_mutex);
    return !m_changed.wait_until(lock, deadline, [&] { return m_cancelled; });
  }

private:
  mutable std::mutex m_mutex;
  mutable std::condition_variable m_changed;
  bool m_cancelled = false;
  std::string m_reason;
};

}  // namespace chaosgate
