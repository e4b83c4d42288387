#pragma once
// Splits the client -> server bytes of an HTTP/1.1 connection into requests,
// so the HTTP-aware toxics can answer or delay one request by its path. Only
// what a proxy needs: the request line and Content-Length. A chunked body, a
// head over 64 KiB or something that is not HTTP ends the scanning for the
// connection: the rest passes through as the body of the last request.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace chaosgate::fault_proxy {

struct HttpPiece {
  bool starts_request = false;  // true: `bytes` begins with a complete request head
  std::string path;             // the request target's path (no query), when starts_request
  std::string bytes;
};

class HttpRequestScanner {
public:
  // The pieces that can go on now, in order; an incomplete head is held back.
  std::vector<HttpPiece> feed(std::string_view input);
  // The held-back bytes of an incomplete head (when the toxic is removed).
  std::string take_held();
  bool scanning() const { return !m_passthrough; }

private:
  std::string m_head;
  std::uint64_t m_body_left = 0;
  bool m_passthrough = false;
};

}  // namespace chaosgate::fault_proxy
