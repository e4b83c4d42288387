#pragma once
// What the commit-status tests (GitLab, GitHub, the status text) share: waits
// recorded instead of slept, a JSON answer from a stand-in, the error a
// publish throws, and code points counted in UTF-8.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "http/retry.h"
#include "status/status_publisher.h"

namespace chaosgate::test {

// Records each wait instead of sleeping.
struct Sleeps {
  std::vector<std::chrono::milliseconds> waits;
  http::Sleeper sleeper() {
    return [this](std::chrono::milliseconds wait) { waits.push_back(wait); };
  }
};

inline void answer_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

// The message publish() throws, or a test failure when it does not throw.
inline std::string publish_error(StatusPublisher& publisher, const StatusUpdate& update) {
  try {
    publisher.publish(update);
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  ADD_FAILURE() << "publish did not throw";
  return "";
}

// Code points in valid UTF-8 `text`.
inline std::size_t utf8_chars(const std::string& text) {
  std::size_t count = 0;
  for (const char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

}  // namespace chaosgate::test
