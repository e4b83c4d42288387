// A suite served over http(s), optionally with an auth header from the environment.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdlib>

#include "sources/http_fetch.h"
#include "sources/source_factories.h"
#include "util/errors.h"
#include "util/redact.h"

namespace chaosgate::sources {
namespace {

// "Name: value" from the variable `env_name`; the value is registered as a secret.
std::pair<std::string, std::string> auth_header_from_env(const std::string& env_name) {
  const char* line = std::getenv(env_name.c_str());
  if (line == nullptr || *line == '\0') throw UserError(env_name + " is not set or empty");
  const std::string_view text(line);
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    throw UserError(env_name + ": expected a header line \"Name: value\"");
  }
  auto value = text.substr(colon + 1);
  value.remove_prefix(std::min(value.find_first_not_of(" \t"), value.size()));
  // The credential, without an auth scheme ("Bearer ..."), so logs keep the scheme.
  const auto scheme_end = value.find(' ');
  const bool has_scheme = scheme_end != std::string_view::npos && scheme_end > 0 &&
                          std::all_of(value.begin(), value.begin() + static_cast<std::ptrdiff_t>(scheme_end),
                                      [](unsigned char c) { return std::isalpha(c) != 0; });
  register_secret(has_scheme ? value.substr(scheme_end + 1) : value);
  return {std::string(text.substr(0, colon)), std::string(value)};
}

class HttpSource final : public SuiteSource {
public:
  HttpSource(std::string url, std::shared_ptr<http::HttpClient> client)
      : m_url(std::move(url)), m_client(std::move(client)) {}

  std::vector<SuiteFile> fetch(const FetchOptions& options) override {
    http::Request request;
    request.url = m_url;
    request.timeout = options.timeout;
    request.max_response_bytes = options.max_bytes;
    request.stop = options.stop;
    if (!options.auth_header_env.empty()) {
      request.headers.push_back(auth_header_from_env(options.auth_header_env));
    }
    const auto name = describe();  // after the auth secret is registered
    auto response = fetch_ok(*m_client, request, name);
    const auto path = std::string_view(m_url).substr(0, m_url.find_first_of("?#"));
    return one_file(to_suite_file(name, path, std::move(response)));
  }

  std::string describe() const override { return redact(m_url); }

private:
  std::string m_url;
  std::shared_ptr<http::HttpClient> m_client;
};

}  // namespace

std::unique_ptr<SuiteSource> make_http_source(const std::string& url,
                                              std::shared_ptr<http::HttpClient> client) {
  return std::make_unique<HttpSource>(url, std::move(client));
}

}  // namespace chaosgate::sources
