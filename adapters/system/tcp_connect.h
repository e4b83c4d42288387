#pragma once
#include <chrono>
#include <string>

namespace chaosgate::system {

// Opens and closes a TCP connection within `timeout`. Returns "" on success,
// else the reason ("connection refused", "timed out after 2s", ...).
std::string tcp_connect(const std::string& host, int port, std::chrono::milliseconds timeout);

}  // namespace chaosgate::system
