#include "fault_proxy/event_loop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace chaosgate::fault_proxy {
namespace {

constexpr std::uint64_t k_timer_token = 1;
constexpr std::uint64_t k_wake_token = 2;

[[noreturn]] void fail(const char* what) { throw std::system_error(errno, std::generic_category(), what); }

void epoll_control(int epoll, int op, int fd, std::uint32_t events, std::uint64_t token) {
  epoll_event event{};
  event.events = events;
  event.data.u64 = token;
  if (::epoll_ctl(epoll, op, fd, &event) != 0) fail("epoll_ctl");
}

}  // namespace

EventLoop::EventLoop() {
  m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
  if (m_epoll < 0) fail("epoll_create1");
  m_timer_fd = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (m_timer_fd < 0) fail("timerfd_create");
  m_wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (m_wake_fd < 0) fail("eventfd");
  epoll_control(m_epoll, EPOLL_CTL_ADD, m_timer_fd, EPOLLIN, k_timer_token);
  epoll_control(m_epoll, EPOLL_CTL_ADD, m_wake_fd, EPOLLIN, k_wake_token);
}

EventLoop::~EventLoop() {
  if (m_wake_fd >= 0) ::close(m_wake_fd);
  if (m_timer_fd >= 0) ::close(m_timer_fd);
  if (m_epoll >= 0) ::close(m_epoll);
}

std::uint64_t EventLoop::add_fd(int fd, std::uint32_t events, IoHandler handler) {
  const std::uint64_t token = m_next_token++;
  epoll_control(m_epoll, EPOLL_CTL_ADD, fd, events, token);
  m_handlers.emplace(token, std::make_shared<IoHandler>(std::move(handler)));
  return token;
}

void EventLoop::modify_fd(int fd, std::uint64_t token, std::uint32_t events) {
  epoll_control(m_epoll, EPOLL_CTL_MOD, fd, events, token);
}

void EventLoop::remove_fd(int fd, std::uint64_t token) {
  ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
  m_handlers.erase(token);
}

std::uint64_t EventLoop::add_timer(Clock::time_point when, Task task) {
  const std::uint64_t id = m_next_token++;
  m_timers.emplace(std::make_pair(when, id), std::move(task));
  m_timer_when.emplace(id, when);
  return id;
}

void EventLoop::cancel_timer(std::uint64_t id) {
  const auto it = m_timer_when.find(id);
  if (it == m_timer_when.end()) return;
  m_timers.erase(std::make_pair(it->second, id));
  m_timer_when.erase(it);
}

void EventLoop::post(Task task) {
  {
    std::lock_guard lock(m_posted_mutex);
    m_posted.push_back(std::move(task));
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(m_wake_fd, &one, sizeof one);
}

void EventLoop::stop() {
  {
    std::lock_guard lock(m_posted_mutex);
    m_stop_requested = true;
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(m_wake_fd, &one, sizeof one);
}

// The timerfd holds the earliest deadline; re-armed only when that changes,
// so a busy data path costs no extra system call.
void EventLoop::arm_timer() {
  const Clock::time_point next = m_timers.empty() ? Clock::time_point{} : m_timers.begin()->first.first;
  if (next == m_armed) return;
  itimerspec spec{};
  if (next != Clock::time_point{}) {
    // steady_clock is CLOCK_MONOTONIC on Linux, so its epoch is the timerfd's.
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(next.time_since_epoch()).count();
    spec.it_value.tv_sec = static_cast<time_t>(ns / 1000000000);
    spec.it_value.tv_nsec = static_cast<long>(ns % 1000000000);
    if (spec.it_value.tv_sec == 0 && spec.it_value.tv_nsec == 0) spec.it_value.tv_nsec = 1;
  }
  if (::timerfd_settime(m_timer_fd, TFD_TIMER_ABSTIME, &spec, nullptr) != 0) fail("timerfd_settime");
  m_armed = next;
}

void EventLoop::run_due_timers() {
  const auto now = Clock::now();
  while (!m_timers.empty() && m_timers.begin()->first.first <= now) {
    auto node = m_timers.extract(m_timers.begin());
    m_timer_when.erase(node.key().second);
    node.mapped()();
  }
}

void EventLoop::run_posted() {
  std::uint64_t count = 0;
  [[maybe_unused]] const auto got = ::read(m_wake_fd, &count, sizeof count);
  std::vector<Task> tasks;
  {
    std::lock_guard lock(m_posted_mutex);
    tasks.swap(m_posted);
    if (m_stop_requested) m_stopping = true;
  }
  for (auto& task : tasks) task();
}

void EventLoop::run() {
  std::vector<epoll_event> events(256);
  while (!m_stopping) {
    arm_timer();
    const int n = ::epoll_wait(m_epoll, events.data(), static_cast<int>(events.size()), -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("epoll_wait");
    }
    for (int i = 0; i < n; ++i) {
      const std::uint64_t token = events[i].data.u64;
      if (token == k_timer_token) {
        std::uint64_t expirations = 0;
        [[maybe_unused]] const auto got = ::read(m_timer_fd, &expirations, sizeof expirations);
        m_armed = Clock::time_point{};
        run_due_timers();
      } else if (token == k_wake_token) {
        run_posted();
      } else {
        const auto it = m_handlers.find(token);
        if (it == m_handlers.end()) continue;  // removed earlier in this batch
        const auto handler = it->second;        // keeps it alive while it runs
        (*handler)(events[i].events);
      }
    }
  }
}

}  // namespace chaosgate::fault_proxy
