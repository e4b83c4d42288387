#include "engine/interruption.h"

#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <ctime>

namespace chaosgate {

namespace {
// SIGUSR2 is ours: the destructor sends it to the watcher thread alone to
// wake it at once, instead of waiting for a timeout.
constexpr int k_wake_signal = SIGUSR2;

sigset_t gate_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, k_wake_signal);
  return set;
}
}  // namespace

void Interruption::block_signals() {
  const sigset_t set = gate_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

Interruption::Interruption(std::function<void(int)> on_repeat) : m_on_repeat(std::move(on_repeat)) {
  block_signals();
  m_watcher = std::thread([this] {
    const sigset_t set = gate_signals();
    while (!m_stopping.load()) {
      int received = 0;
      if (sigwait(&set, &received) != 0) continue;
      if (received == SIGINT || received == SIGTERM) trigger(received);
    }
  });
}

Interruption::~Interruption() {
  m_stopping = true;
  if (m_watcher.joinable()) {
    pthread_kill(m_watcher.native_handle(), k_wake_signal);
    m_watcher.join();
  }
}

void Interruption::watch(Cancellation* cancellation) {
  std::lock_guard lock(m_mutex);
  m_watched.insert(cancellation);
  if (interrupted()) cancellation->cancel("interrupted by " + std::string(m_signal == SIGINT ? "SIGINT" : "SIGTERM"));
}

void Interruption::unwatch(Cancellation* cancellation) {
  std::lock_guard lock(m_mutex);
  m_watched.erase(cancellation);
}

void Interruption::trigger(int signal) {
  int expected = 0;
  m_signal.compare_exchange_strong(expected, signal);
  if (++m_count > 1) {
    if (m_on_repeat) m_on_repeat(signal);
    return;
  }
  std::lock_guard lock(m_mutex);
  const std::string reason = "interrupted by " + std::string(signal == SIGINT ? "SIGINT" : "SIGTERM");
  for (auto* cancellation : m_watched) cancellation->cancel(reason);
}

}  // namespace chaosgate
