// shop-backend: the demo shop's backend for the sandbox staging. A product
// catalogue, carts and checkout on redis, Prometheus metrics, and release
// switches (redis retries and timeout) that make a release regress.
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "metrics.h"
#include "redis_store.h"

namespace {

struct Options {
  int port = 0;
  std::string instance = "a";
  std::string release = "good";
  RedisSettings redis;
};

const char* k_usage =
    "usage: shop-backend --port P [--redis-host H] [--redis-port P] [--redis-retries N]\n"
    "                    [--redis-timeout-ms MS] [--release NAME] [--instance NAME]\n"
    "       shop-backend --print-free-ports N\n";

// Binds N sockets to port 0 on 127.0.0.1 at once (so they differ), prints the
// ports, closes them. The sandbox script picks its ports this way.
int print_free_ports(int count) {
  std::vector<int> sockets;
  for (int i = 0; i < count; ++i) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      std::cerr << "shop-backend: cannot bind a free port: " << std::strerror(errno) << '\n';
      return 1;
    }
    std::cout << ntohs(address.sin_port) << '\n';
    sockets.push_back(fd);
  }
  for (int fd : sockets) close(fd);
  return 0;
}

const char* k_products =
    R"([{"id":1,"name":"Chaos monkey plush","price":19.9,"stock":12},)"
    R"({"id":2,"name":"Blast radius mug","price":9.5,"stock":40},)"
    R"({"id":3,"name":"Steady state poster","price":14.0,"stock":7}])";

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "shop-backend: " << flag << " needs a value\n" << k_usage;
        std::exit(2);
      }
      return argv[++i];
    };
    if (flag == "--print-free-ports") return print_free_ports(std::stoi(value()));
    if (flag == "--port") options.port = std::stoi(value());
    else if (flag == "--redis-host") options.redis.host = value();
    else if (flag == "--redis-port") options.redis.port = std::stoi(value());
    else if (flag == "--redis-retries") options.redis.retries = std::stoi(value());
    else if (flag == "--redis-timeout-ms") options.redis.timeout_ms = std::stoi(value());
    else if (flag == "--release") options.release = value();
    else if (flag == "--instance") options.instance = value();
    else {
      std::cerr << "shop-backend: unknown flag " << flag << '\n' << k_usage;
      return 2;
    }
  }
  if (options.port <= 0) {
    std::cerr << k_usage;
    return 2;
  }

  RedisCounters counters;
  RedisStore store(options.redis, counters);
  Metrics metrics;
  std::mutex catalogue_mutex;
  std::string catalogue;
  std::chrono::steady_clock::time_point catalogue_read;
  httplib::Server server;
  server.new_task_queue = [] { return new httplib::ThreadPool(16); };

  // Every route records its status and latency.
  auto route = [&](const std::string& name, auto handler) {
    return [&metrics, name, handler](const httplib::Request& request, httplib::Response& response) {
      const auto start = std::chrono::steady_clock::now();
      handler(request, response);
      metrics.observe(name, response.status,
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    };
  };
  auto unavailable = [](httplib::Response& response) {
    response.status = 503;
    response.set_content(R"({"error":"redis unavailable"})", "application/json");
  };

  // Liveness only: a redis stall must not make nginx drop a healthy backend.
  server.Get("/health", route("health", [&](const httplib::Request&, httplib::Response& response) {
    response.set_content(R"({"status":"ok","instance":")" + options.instance + R"("})", "application/json");
  }));
  // Readiness: the backend can reach redis (within its release's retries).
  server.Get("/ready", route("ready", [&](const httplib::Request&, httplib::Response& response) {
    if (store.command({"PING"}))
      response.set_content(R"({"status":"ready"})", "application/json");
    else
      unavailable(response);
  }));
  // The catalogue changes rarely: served from memory, refreshed from redis every 5 s.
  server.Get("/products", route("products", [&](const httplib::Request&, httplib::Response& response) {
    std::lock_guard lock(catalogue_mutex);
    const auto now = std::chrono::steady_clock::now();
    if (catalogue.empty() || now - catalogue_read > std::chrono::seconds(5)) {
      auto products = store.command({"GET", "shop:products"});
      if (products && products->empty()) {
        store.command({"SET", "shop:products", k_products});  // seed a fresh (or flushed) redis
        products = k_products;
      }
      if (products) {
        catalogue = *products;
        catalogue_read = now;
      }
    }
    if (catalogue.empty()) return unavailable(response);
    response.set_content(catalogue, "application/json");
  }));
  server.Get(R"(/cart/([\w-]+))", route("cart", [&](const httplib::Request& request, httplib::Response& response) {
    const auto items = store.array_command({"HGETALL", "shop:cart:" + request.matches[1].str()});
    if (!items) return unavailable(response);
    nlohmann::json cart = {{"id", request.matches[1].str()}, {"items", nlohmann::json::object()}};
    for (std::size_t i = 0; i + 1 < items->size(); i += 2) cart["items"][(*items)[i]] = std::stoi((*items)[i + 1]);
    response.set_content(cart.dump(), "application/json");
  }));
  server.Post(R"(/cart/([\w-]+)/items)", route("cart-add", [&](const httplib::Request& request, httplib::Response& response) {
    const auto body = nlohmann::json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.contains("product")) {
      response.status = 400;
      response.set_content(R"({"error":"expected {\"product\": id, \"quantity\": n}"})", "application/json");
      return;
    }
    const auto count = store.command({"HINCRBY", "shop:cart:" + request.matches[1].str(), body["product"].dump(),
                                      std::to_string(body.value("quantity", 1))});
    if (!count) return unavailable(response);
    response.status = 201;
    response.set_content(R"({"quantity":)" + *count + "}", "application/json");
  }));
  server.Post("/checkout", route("checkout", [&](const httplib::Request& request, httplib::Response& response) {
    const auto body = nlohmann::json::parse(request.body, nullptr, false);
    const std::string cart = body.is_object() ? body.value("cart", "") : "";
    if (cart.empty()) {
      response.status = 400;
      response.set_content(R"({"error":"expected {\"cart\": id}"})", "application/json");
      return;
    }
    const auto order = store.command({"INCR", "shop:orders"});
    if (!order) return unavailable(response);
    response.set_content(R"({"order":)" + *order + R"(,"cart":")" + cart + R"("})", "application/json");
  }));
  server.Get("/metrics", [&](const httplib::Request&, httplib::Response& response) {
    response.set_content(metrics.render(options.instance, options.release, counters.errors, counters.retries),
                         "text/plain; version=0.0.4");
  });

  // SIGTERM/SIGINT are taken by a thread with sigwait, so stopping the
  // server runs as ordinary code rather than inside a signal handler.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::thread([&server, stop_signals] {
    int received = 0;
    sigwait(&stop_signals, &received);
    server.stop();
  }).detach();
  std::cerr << "shop-backend " << options.instance << " (release " << options.release << ", redis retries "
            << options.redis.retries << ", timeout " << options.redis.timeout_ms << "ms) on 127.0.0.1:" << options.port
            << '\n';
  if (!server.listen("127.0.0.1", options.port)) {
    std::cerr << "shop-backend: cannot listen on 127.0.0.1:" << options.port << '\n';
    return 1;
  }
  return 0;
}
