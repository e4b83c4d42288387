// shop-backend: the demo shop's backend for the sandbox staging. A product
// catalogue, carts and checkout on redis, Prometheus metrics, and release
// switches (redis retries and timeout) that make a release regress.
#include <pthread.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include "catalogue.h"
#include "options.h"
#include "shop_routes.h"

namespace {

constexpr int k_worker_threads = 16;

// SIGTERM/SIGINT are taken by a thread with sigwait, so stopping the server
// runs as ordinary code rather than inside a signal handler. stop() is
// repeated until listen() has returned: a signal that arrives before the
// server runs must still end it.
class StopOnSignal {
public:
  explicit StopOnSignal(httplib::Server& server) {
    sigemptyset(&m_signals);
    sigaddset(&m_signals, SIGTERM);
    sigaddset(&m_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &m_signals, nullptr);  // inherited by every thread started after this
    m_thread = std::thread([this, &server] {
      int received = 0;
      sigwait(&m_signals, &received);
      while (!m_listen_returned) {
        server.stop();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
  }
  // Called once listen() has returned; wakes the thread if no signal came.
  ~StopOnSignal() {
    m_listen_returned = true;
    pthread_kill(m_thread.native_handle(), SIGTERM);  // blocked everywhere, so only sigwait sees it
    m_thread.join();
  }
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;

private:
  sigset_t m_signals{};
  std::atomic<bool> m_listen_returned{false};
  std::thread m_thread;
};

}  // namespace

int main(int argc, char** argv) {
  const auto options = parse_options(argc, argv);
  if (!options) return 2;
  if (options->print_free_ports > 0) return print_free_ports(options->print_free_ports);

  RedisCounters counters;
  RedisStore store(options->redis, counters);
  Catalogue catalogue(store);
  Metrics metrics;
  Shop shop{options->instance, options->release, counters, store, catalogue, metrics};

  httplib::Server server;
  server.new_task_queue = [] { return new httplib::ThreadPool(k_worker_threads); };
  add_shop_routes(server, shop);

  bool listened = false;
  {
    const StopOnSignal stopper(server);
    std::cerr << "shop-backend " << options->instance << " (release " << options->release << ", redis "
              << options->redis.host << ':' << options->redis.port << ", retries " << options->redis.retries
              << ", timeout " << options->redis.timeout_ms << " ms) on 127.0.0.1:" << options->port << std::endl;
    listened = server.listen("127.0.0.1", options->port);
  }
  if (!listened) {
    std::cerr << "shop-backend: cannot listen on 127.0.0.1:" << options->port << '\n';
    return 1;
  }
  std::cerr << "shop-backend " << options->instance << ": stopped" << std::endl;
  return 0;
}
