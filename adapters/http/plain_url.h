#pragma once
// The parts of a plain `http://` URL that the plain HTTP client needs, parsed
// strictly: anything unusual is left to libcurl, which knows every corner of
// URL syntax (the plain client only takes the URLs it reads the same way).
#include <optional>
#include <string>

namespace chaosgate::http {

struct PlainUrl {
  std::string host;         // as written, without the brackets of an IPv6 literal
  int port = 80;
  std::string host_header;  // "host" or "host:port", as libcurl sends it
  std::string target;       // path and query, "/" when the URL has none
};

// nullopt unless `url` is `http://host[:port][/path][?query][#fragment]` with
// no user info, a host of letters, digits, '-', '.' or an IPv6 literal in
// brackets, a port of 1-65535, and only printable ASCII without spaces after it.
// The scheme and host are case-insensitive; the fragment is dropped.
std::optional<PlainUrl> parse_plain_url(const std::string& url);

}  // namespace chaosgate::http
