#pragma once
// Unwrapping an http::Result in a test: the side the test expects, or a test
// failure that says what came instead.
#include <gtest/gtest.h>

#include <variant>

#include "http/http_client.h"

namespace chaosgate::test {

inline http::Response expect_response(const http::Result& result) {
  if (const auto* failure = std::get_if<http::Failure>(&result)) {
    ADD_FAILURE() << "unexpected failure: " << failure->message;
    return {};
  }
  return std::get<http::Response>(result);
}

inline http::Failure expect_failure(const http::Result& result) {
  if (const auto* response = std::get_if<http::Response>(&result)) {
    ADD_FAILURE() << "unexpected response: HTTP " << response->status;
    return {};
  }
  return std::get<http::Failure>(result);
}

}  // namespace chaosgate::test
