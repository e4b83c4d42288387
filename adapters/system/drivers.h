#pragma once
// The real ProbeDriver and ActionDriver: HTTP through the libcurl client,
// TCP connects, processes, PromQL instant queries, signals to pid files.
#include <memory>

#include "engine/ports.h"
#include "http/http_client.h"

namespace chaosgate::system {

// Both are thread-safe when `client` is (the curl client is).
std::unique_ptr<ProbeDriver> make_probe_driver(std::shared_ptr<http::HttpClient> client);
std::unique_ptr<ActionDriver> make_action_driver(std::shared_ptr<http::HttpClient> client);

}  // namespace chaosgate::system
