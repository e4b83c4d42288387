#include "fault_proxy/fault_proxy.h"

#include <nlohmann/json.hpp>

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
  LoopFaultProxy() : m_thread([this] { m_loop.run(); }) {}
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

  std::size_t connection_count(const std::string& proxy) override {
    return call([this, &proxy] {
      const auto it = m_proxies.find(proxy);
      return nlohmann::json(it == m_proxies.end() ? 0 : it->second->link_count());
    }).get<std::size_t>();
  }

  void stop() override {
    std::lock_guard lock(m_stop_mutex);
    if (!m_thread.joinable()) return;
    call([this] {
      m_proxies.clear();  // closes listeners and links on the loop thread
      return nlohmann::json();
    });
    m_loop.stop();
    m_thread.join();
  }

private:
  // Runs `work` on the loop thread and waits; its exception is rethrown here.
  template <typename Work>
  nlohmann::json call(Work work) {
    if (!m_thread.joinable()) throw ApiError(503, "the fault proxy is stopped");
    std::promise<nlohmann::json> answer;
    auto future = answer.get_future();
    m_loop.post([&answer, &work] {
      try {
        answer.set_value(work());
      } catch (const nlohmann::json::exception& e) {
        answer.set_exception(std::make_exception_ptr(bad_request_body(e.what())));
      } catch (...) {
        answer.set_exception(std::current_exception());
      }
    });
    return future.get();
  }

  static bool same_listen(const std::string& bound, const std::string& asked) {
    if (bound == asked) return true;
    const auto a = resolve_address(asked);
    return a && address_text(*a) == bound;
  }

  Proxy* add(ProxySpec spec) {
    if (m_proxies.count(spec.name) != 0) throw proxy_already_exists();
    auto proxy = std::make_unique<Proxy>(m_loop, spec);
    if (spec.enabled) proxy->start();
    else proxy->stop();
    return m_proxies.emplace(spec.name, std::move(proxy)).first->second.get();
  }

  Proxy& find(const std::string& name) {
    const auto it = m_proxies.find(name);
    if (it == m_proxies.end()) throw proxy_not_found();
    return *it->second;
  }

  EventLoop m_loop;
  std::mutex m_stop_mutex;
  std::map<std::string, std::unique_ptr<Proxy>> m_proxies;  // loop thread only
  std::thread m_thread;
};

}  // namespace

std::unique_ptr<FaultProxy> start_fault_proxy() { return std::make_unique<LoopFaultProxy>(); }

}  // namespace chaosgate::fault_proxy
