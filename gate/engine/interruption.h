#pragma once
// SIGINT / SIGTERM handling. The signals are blocked in every thread and
// taken by one watcher thread with sigwait(), so the reaction (cancel running
// experiments, log what is still rolling back) runs as ordinary code, not in a
// signal handler.
#include <atomic>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "engine/cancellation.h"

namespace chaosgate {

class Interruption {
public:
  // Blocks SIGINT and SIGTERM in the calling thread (call it first thing in
  // main, before any thread starts, so every thread inherits the mask).
  static void block_signals();

  // Starts the watcher thread. `on_repeat` is called for the second and later
  // signals (rollbacks are not skipped; it should say what is still running).
  explicit Interruption(std::function<void(int signal)> on_repeat = {});
  ~Interruption();
  Interruption(const Interruption&) = delete;
  Interruption& operator=(const Interruption&) = delete;

  // 0 while not interrupted, else the first signal number.
  int signal() const { return m_signal.load(); }
  bool interrupted() const { return signal() != 0; }

  // Experiments register their Cancellation so a signal wakes them at once.
  void watch(Cancellation* cancellation);
  void unwatch(Cancellation* cancellation);

  // Behaves as if `signal` arrived (tests; also used by the watcher thread).
  void trigger(int signal);

private:
  std::atomic<int> m_signal{0};
  std::atomic<int> m_count{0};
  std::function<void(int)> m_on_repeat;
  std::mutex m_mutex;
  std::set<Cancellation*> m_watched;
  std::thread m_watcher;
  std::atomic<bool> m_stopping{false};
};

// A Cancellation that the first signal cancels, watched for as long as it
// lives: the work outside the experiments (the suite's download, preflight,
// tickets, statuses) gives up waiting on it instead of holding the exit.
// Declare it after its Interruption.
class SignalCancellation {
public:
  explicit SignalCancellation(Interruption& interruption) : m_interruption(interruption) {
    m_interruption.watch(&m_cancellation);
  }
  ~SignalCancellation() { m_interruption.unwatch(&m_cancellation); }
  SignalCancellation(const SignalCancellation&) = delete;
  SignalCancellation& operator=(const SignalCancellation&) = delete;

  const Cancellation* get() const { return &m_cancellation; }

private:
  Interruption& m_interruption;
  Cancellation m_cancellation;
};

}  // namespace chaosgate
