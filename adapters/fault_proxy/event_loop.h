#pragma once
// One epoll event loop on one thread: file descriptors with handlers, a timer
// heap behind one timerfd (microsecond precision for slicer and latency), and
// tasks posted from other threads (the control API) through an eventfd.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

namespace chaosgate::fault_proxy {

class EventLoop {
public:
  using Clock = std::chrono::steady_clock;
  using IoHandler = std::function<void(std::uint32_t events)>;
  using Task = std::function<void()>;

  // Throws std::system_error when epoll, timerfd or eventfd cannot be created.
  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Loop thread only. add_fd returns a token that names the registration (fd
  // numbers are reused at once after close; tokens never are).
  std::uint64_t add_fd(int fd, std::uint32_t events, IoHandler handler);
  void modify_fd(int fd, std::uint64_t token, std::uint32_t events);
  void remove_fd(int fd, std::uint64_t token);  // before close(fd)

  // Loop thread only. A cancelled or unknown id is ignored.
  std::uint64_t add_timer(Clock::time_point when, Task task);
  void cancel_timer(std::uint64_t id);

  // Any thread: runs `task` on the loop thread soon.
  void post(Task task);
  // Runs until stop(); tasks posted before stop() still run.
  void run();
  // Any thread.
  void stop();

private:
  void arm_timer();
  void run_due_timers();
  void run_posted();

  int m_epoll = -1;
  int m_timer_fd = -1;
  int m_wake_fd = -1;
  bool m_stopping = false;
  std::uint64_t m_next_token = 16;  // 1 and 2 are the timer and the wake-up
  std::unordered_map<std::uint64_t, std::shared_ptr<IoHandler>> m_handlers;
  std::map<std::pair<Clock::time_point, std::uint64_t>, Task> m_timers;
  std::unordered_map<std::uint64_t, Clock::time_point> m_timer_when;
  Clock::time_point m_armed{};  // deadline the timerfd holds; {} = disarmed
  std::mutex m_posted_mutex;
  std::vector<Task> m_posted;
  bool m_stop_requested = false;  // under m_posted_mutex
};

}  // namespace chaosgate::fault_proxy
