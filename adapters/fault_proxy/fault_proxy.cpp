#include "fault_proxy/fault_proxy.h"

#include <nlohmann/json.hpp>

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "fault_proxy/api_error.h"
#include "fault_proxy/event_loop.h"
#include "fault_proxy/proxy.h"

namespace chaosgate::fault_proxy {
namespace {

std::string required_string(const nlohmann::json& body, const char* field) {
  if (!body.contains(field) || body.at(field).is_null()) return {};
  if (!body.at(field).is_string()) throw bad_request_body(std::string(field) + " must be a string");
  return body.at(field).get<std::string>();
}

ProxySpec spec_from_json(const nlohmann::json& body) {
  if (!body.is_object()) throw bad_request_body("expected a JSON object");
  ProxySpec spec;
  spec.name = required_string(body, "name");
  spec.listen = required_string(body, "listen");
  spec.upstream = required_string(body, "upstream");
  if (body.contains("enabled")) {
    if (!body.at("enabled").is_boolean()) throw bad_request_body("enabled must be a boolean");
    spec.enabled = body.at("enabled").get<bool>();
  }
  if (spec.name.empty()) throw missing_field("name");
  if (spec.upstream.empty()) throw missing_field("upstream");
  return spec;
}

class LoopFaultProxy final : public FaultProxy {
public:
  explicit LoopFaultProxy(std::size_t loops) {
    for (std::size_t i = 0; i < loops; ++i) m_loops.push_back(std::make_unique<EventLoop>());
    for (const auto& loop : m_loops) m_loop_list.push_back(loop.get());
    for (std::size_t i = 0; i < loops; ++i) {
      m_threads.emplace_back([loop = m_loop_list[i], i] {
        // Named for top / perf: "proxy-loop-0" is the control loop.
        const std::string name = "proxy-loop-" + std::to_string(i);
        ::pthread_setname_np(::pthread_self(), name.c_str());
        loop->run();
      });
    }
    m_running = true;
  }
  ~LoopFaultProxy() override { stop(); }

  nlohmann::json proxies() override {
    return call([this] {
      nlohmann::json all = nlohmann::json::object();
      for (const auto& [name, proxy] : m_proxies) all[name] = proxy->to_json();
      return all;
    });
  }

  nlohmann::json create_proxy(const nlohmann::json& body) override {
    return call([this, &body] { return add(spec_from_json(body))->to_json(); });
  }

  // As Toxiproxy: a proxy that exists with the same listen and upstream is
  // kept, one that differs is replaced; on an error the answer carries the
  // error and the proxies created before it.
  nlohmann::json populate(const nlohmann::json& body) override {
    return call([this, &body] {
      if (!body.is_array()) throw bad_request_body("expected a JSON array of proxies");
      nlohmann::json created = nlohmann::json::array();
      for (const auto& item : body) {
        try {
          ProxySpec spec = spec_from_json(item);
          spec.enabled = true;  // Toxiproxy enables populated proxies
          const auto it = m_proxies.find(spec.name);
          if (it != m_proxies.end()) {
            const auto& now = it->second->spec();
            if (now.upstream == spec.upstream && (spec.listen.empty() || same_listen(now.listen, spec.listen))) {
              created.push_back(it->second->to_json());
              continue;
            }
            m_proxies.erase(it);
          }
          created.push_back(add(spec)->to_json());
        } catch (const ApiError& e) {
          throw PopulateError(e, std::move(created));
        }
      }
      return nlohmann::json{{"proxies", created}};
    });
  }

  nlohmann::json proxy(const std::string& name) override {
    return call([this, &name] { return find(name).to_json(); });
  }

  nlohmann::json update_proxy(const std::string& name, const nlohmann::json& body) override {
    return call([this, &name, &body] {
      if (!body.is_object()) throw bad_request_body("expected a JSON object");
      if (body.contains("enabled") && !body.at("enabled").is_boolean()) throw bad_request_body("enabled must be a boolean");
      for (const char* field : {"listen", "upstream"})
        if (body.contains(field) && !body.at(field).is_string()) throw bad_request_body(std::string(field) + " must be a string");
      auto& proxy = find(name);
      proxy.update(body);
      return proxy.to_json();
    });
  }

  void delete_proxy(const std::string& name) override {
    call([this, &name] {
      find(name);
      m_proxies.erase(name);
      return nlohmann::json();
    });
  }

  nlohmann::json toxics(const std::string& proxy) override {
    return call([this, &proxy] { return find(proxy).to_json().at("toxics"); });
  }

  nlohmann::json add_toxic(const std::string& proxy, const nlohmann::json& body) override {
    return call([this, &proxy, &body] {
      auto& target = find(proxy);
      return to_json(target.add_toxic(toxic_from_json(body)));
    });
  }

  nlohmann::json toxic(const std::string& proxy, const std::string& name) override {
    return call([this, &proxy, &name] {
      const Toxic* found = find(proxy).find_toxic(name);
      if (found == nullptr) throw toxic_not_found();
      return to_json(*found);
    });
  }

  nlohmann::json update_toxic(const std::string& proxy, const std::string& name, const nlohmann::json& body) override {
    return call([this, &proxy, &name, &body] { return to_json(find(proxy).update_toxic(name, body)); });
  }

  void remove_toxic(const std::string& proxy, const std::string& name) override {
    call([this, &proxy, &name] {
      find(proxy).remove_toxic(name);
      return nlohmann::json();
    });
  }

  void reset() override {
    call([this] {
      for (auto& [name, proxy] : m_proxies) {
        proxy->start();
        proxy->remove_all_toxics();
      }
      return nlohmann::json();
    });
  }

  std::vector<std::size_t> connection_count_per_loop(const std::string& proxy) override {
    return call([this, &proxy] {
      const auto it = m_proxies.find(proxy);
      return it == m_proxies.end() ? nlohmann::json::array() : nlohmann::json(it->second->link_count_per_loop());
    }).get<std::vector<std::size_t>>();
  }

  std::size_t loop_count() const override { return m_loops.size(); }

  std::size_t connection_count(const std::string& proxy) override {
    return call([this, &proxy] {
      const auto it = m_proxies.find(proxy);
      return nlohmann::json(it == m_proxies.end() ? 0 : it->second->link_count());
    }).get<std::size_t>();
  }

  void stop() override {
    std::lock_guard lock(m_stop_mutex);
    if (!m_running) return;
    call([this] {
      m_proxies.clear();  // closes the listeners; each loop closes its links (call waits for that)
      return nlohmann::json();
    });
    {
      std::lock_guard calls(m_call_mutex);  // no call between the last one and the loops' end
      m_running = false;
    }
    for (const auto& loop : m_loops) loop->stop();
    for (auto& thread : m_threads) thread.join();
  }

private:
  // Runs `work` on the control loop and waits; its exception is rethrown here.
  // Calls are one at a time, so the changes they post to the loops cannot
  // overtake each other.
  template <typename Work>
  nlohmann::json call(Work work) {
    std::lock_guard lock(m_call_mutex);
    if (!m_running) throw ApiError(503, "the fault proxy is stopped");
    std::promise<nlohmann::json> answer;
    auto future = answer.get_future();
    m_loop_list.front()->post([&answer, &work] {
      try {
        answer.set_value(work());
      } catch (const nlohmann::json::exception& e) {
        answer.set_exception(std::make_exception_ptr(bad_request_body(e.what())));
      } catch (...) {
        answer.set_exception(std::current_exception());
      }
    });
    future.wait();
    wait_for_every_loop();
    return future.get();
  }

  // Each loop runs posted tasks in order: once it has run this one, it has run
  // every change the control loop posted to it during the call.
  void wait_for_every_loop() {
    std::vector<std::promise<void>> done(m_loops.size());
    for (std::size_t i = 0; i < m_loops.size(); ++i) m_loops[i]->post([&done, i] { done[i].set_value(); });
    for (auto& each : done) each.get_future().wait();
  }

  static bool same_listen(const std::string& bound, const std::string& asked) {
    if (bound == asked) return true;
    const auto a = resolve_address(asked);
    return a && address_text(*a) == bound;
  }

  Proxy* add(ProxySpec spec) {
    if (m_proxies.count(spec.name) != 0) throw proxy_already_exists();
    auto proxy = std::make_unique<Proxy>(m_loop_list, spec);
    if (spec.enabled) proxy->start();
    else proxy->stop();
    return m_proxies.emplace(spec.name, std::move(proxy)).first->second.get();
  }

  Proxy& find(const std::string& name) {
    const auto it = m_proxies.find(name);
    if (it == m_proxies.end()) throw proxy_not_found();
    return *it->second;
  }

  std::vector<std::unique_ptr<EventLoop>> m_loops;
  std::vector<EventLoop*> m_loop_list;  // the same, as Proxy takes them
  std::mutex m_stop_mutex;
  std::mutex m_call_mutex;
  std::atomic<bool> m_running{false};
  std::map<std::string, std::unique_ptr<Proxy>> m_proxies;  // control loop only
  std::vector<std::thread> m_threads;
};

}  // namespace

std::unique_ptr<FaultProxy> start_fault_proxy(std::size_t loops) {
  if (loops == 0) loops = std::max(1u, std::thread::hardware_concurrency());
  return std::make_unique<LoopFaultProxy>(loops);
}

}  // namespace chaosgate::fault_proxy
