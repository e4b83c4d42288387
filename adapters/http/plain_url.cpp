#include "http/plain_url.h"

#include <cctype>
#include <string_view>

namespace chaosgate::http {
namespace {

bool is_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.';
}

bool is_ipv6_char(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.'; }

// Printable ASCII without space: what libcurl sends unchanged in a request target.
bool is_target_char(char c) { return c > ' ' && c < 127; }

bool starts_with_http(std::string_view url) {
  constexpr std::string_view k_scheme = "http://";
  if (url.size() < k_scheme.size()) return false;
  for (std::size_t i = 0; i < k_scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(url[i])) != k_scheme[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<PlainUrl> parse_plain_url(const std::string& url) {
  if (!starts_with_http(url)) return std::nullopt;
  std::string_view rest(url);
  rest.remove_prefix(7);
  const auto authority_end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, authority_end);
  std::string_view after = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);

  PlainUrl parsed;
  std::string_view port_text;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos || close == 1) return std::nullopt;
    const auto literal = authority.substr(1, close - 1);
    for (char c : literal)
      if (!is_ipv6_char(c)) return std::nullopt;  // also refuses zone ids (%eth0)
    parsed.host = std::string(literal);
    const auto tail = authority.substr(close + 1);
    if (!tail.empty()) {
      if (tail[0] != ':') return std::nullopt;
      port_text = tail.substr(1);
      if (port_text.empty()) return std::nullopt;
    }
  } else {
    const auto colon = authority.find(':');
    const auto host = authority.substr(0, colon);
    if (host.empty() || host.front() == '.' || host.front() == '-') return std::nullopt;
    for (char c : host)
      if (!is_host_char(c)) return std::nullopt;  // '@' (user info), '%', '_' ... go to libcurl
    parsed.host = std::string(host);
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return std::nullopt;
    }
  }
  for (char& c : parsed.host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!port_text.empty()) {
    if (port_text.size() > 5) return std::nullopt;
    int port = 0;
    for (char c : port_text) {
      if (std::isdigit(static_cast<unsigned char>(c)) == 0) return std::nullopt;
      port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) return std::nullopt;
    parsed.port = port;
  }

  if (const auto fragment = after.find('#'); fragment != std::string_view::npos) after = after.substr(0, fragment);
  for (char c : after)
    if (!is_target_char(c)) return std::nullopt;
  parsed.target = after.empty() || after.front() == '?' ? "/" + std::string(after) : std::string(after);

  const bool ipv6 = parsed.host.find(':') != std::string::npos;
  parsed.host_header = ipv6 ? "[" + parsed.host + "]" : parsed.host;
  if (parsed.port != 80) parsed.host_header += ":" + std::to_string(parsed.port);
  return parsed;
}

}  // namespace chaosgate::http
