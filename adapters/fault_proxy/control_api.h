#pragma once
// The fault proxy's HTTP control API, compatible with Toxiproxy's for the
// endpoints clients use (proxies, toxics, populate, reset, version).
#include <memory>
#include <string>

#include "fault_proxy/fault_proxy.h"

namespace chaosgate::fault_proxy {

class ControlApi {
public:
  virtual ~ControlApi() = default;
  virtual int port() const = 0;  // the port bound (useful when asked for 0)
  virtual void stop() = 0;       // idempotent; also done by the destructor
};

// Serves `proxy` on host:port (0 = a free port) on its own thread; mutations
// reach the proxy through its thread-safe calls. Throws std::runtime_error
// when the address cannot be bound.
std::unique_ptr<ControlApi> start_control_api(FaultProxy& proxy, const std::string& host, int port,
                                              const std::string& version);

}  // namespace chaosgate::fault_proxy
