#pragma once
// Fakes for the engine's ports: scripted answers, and a record of every call
// so a test can assert what the engine did and in which order.
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "engine/ports.h"

namespace chaosgate::test {

class FakeProbeDriver : public ProbeDriver {
public:
  // Answer for a probe name; `call` counts that probe's samples from 0.
  using Script = std::function<Observation(int call)>;
  void script(const std::string& probe, Script script) {
    std::lock_guard lock(m_mutex);
    m_scripts[probe] = std::move(script);
  }
  using ProbeDriver::sample;
  Observation sample(const Probe& probe, const Cancellation* stop) override {
    Script script;
    int call = 0;
    {
      std::lock_guard lock(m_mutex);
      m_last_stop = stop;
      call = m_calls[probe.name]++;
      script = m_scripts.count(probe.name) ? m_scripts[probe.name] : Script{};
    }
    return script ? script(call) : healthy();
  }
  int calls(const std::string& probe) {
    std::lock_guard lock(m_mutex);
    return m_calls[probe];
  }
  // The stop the last sample was given (null: none).
  const Cancellation* last_stop() {
    std::lock_guard lock(m_mutex);
    return m_last_stop;
  }
  static Observation healthy(long status = 200, double latency_ms = 5) {
    Observation o;
    o.reached = true;
    o.status = status;
    o.latency_ms = latency_ms;
    o.exit_code = 0;
    o.value = 1;
    return o;
  }
  static Observation unreachable() {
    Observation o;
    o.error = "connection refused";
    return o;
  }

private:
  std::mutex m_mutex;
  std::map<std::string, Script> m_scripts;
  std::map<std::string, int> m_calls;
  const Cancellation* m_last_stop = nullptr;
};

class FakeActionDriver : public ActionDriver {
public:
  ActionOutcome perform(const Action& action, std::chrono::milliseconds, const Cancellation*) override {
    std::lock_guard lock(m_mutex);
    m_performed.push_back(action.name);
    if (m_failing.count(action.name)) return {false, "exit 1 (expected 0)"};
    return {true, "exit 0"};
  }
  void fail(const std::string& action) {
    std::lock_guard lock(m_mutex);
    m_failing.insert({action, true});
  }
  std::vector<std::string> performed() {
    std::lock_guard lock(m_mutex);
    return m_performed;
  }

private:
  std::mutex m_mutex;
  std::vector<std::string> m_performed;
  std::map<std::string, bool> m_failing;
};

}  // namespace chaosgate::test
