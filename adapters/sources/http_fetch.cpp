#include "sources/http_fetch.h"

#include "sources/format.h"
#include "util/errors.h"

namespace chaosgate::sources {

http::Response fetch_ok(http::HttpClient& client, const http::Request& request,
                        const std::string& name) {
  auto result = client.send(request);
  if (auto* failure = std::get_if<http::Failure>(&result)) {
    switch (failure->kind) {
      case http::FailureKind::resolve:
      case http::FailureKind::connect:
      case http::FailureKind::timeout:
      case http::FailureKind::cancelled:  // FetchOptions::stop: the caller knows it was interrupted
      case http::FailureKind::other:
        throw UnreachableError(name + ": cannot fetch: " + failure->message);
      case http::FailureKind::too_large:
        throw UserError(name + ": larger than the limit of " +
                        std::to_string(request.max_response_bytes) + " bytes");
      case http::FailureKind::tls:  // an untrusted certificate needs a CA bundle: configuration
      case http::FailureKind::bad_request:
        throw UserError(name + ": " + failure->message);
    }
  }
  auto& response = std::get<http::Response>(result);
  if (response.status < 200 || response.status > 299) {
    auto message = name + ": HTTP " + std::to_string(response.status);
    if (const auto reason = http::reason_phrase(response.status); !reason.empty()) {
      message += " " + reason;
    }
    throw UserError(message);
  }
  return std::move(response);
}

SuiteFile to_suite_file(std::string name, std::string_view path, http::Response response) {
  auto format = format_from_extension(path);
  if (!format) {
    if (const auto type = response.header("content-type")) format = format_from_content_type(*type);
  }
  if (!format) format = sniff_format(response.body);
  return SuiteFile{std::move(name), std::move(response.body), std::move(*format)};
}

}  // namespace chaosgate::sources
