#pragma once
// Cancels a Cancellation from another thread after a delay, as a signal or a
// stop condition would while a call is in progress; joins on destruction.
#include <chrono>
#include <string>
#include <thread>

#include "engine/cancellation.h"

namespace chaosgate::test {

class CancelAfter {
public:
  CancelAfter(Cancellation& stop, std::chrono::milliseconds delay, std::string reason)
      : m_thread([&stop, delay, reason = std::move(reason)] {
          std::this_thread::sleep_for(delay);
          stop.cancel(reason);
        }) {}
  ~CancelAfter() { m_thread.join(); }
  CancelAfter(const CancelAfter&) = delete;
  CancelAfter& operator=(const CancelAfter&) = delete;

private:
  std::thread m_thread;
};

}  // namespace chaosgate::test
