#include "fault_proxy/http_request_scanner.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace chaosgate::fault_proxy {
namespace {

constexpr std::size_t k_max_head = 64 * 1024;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

struct Head {
  bool ok = false;
  std::string path;
  std::uint64_t content_length = 0;
  bool chunked = false;
};

Head parse_head(std::string_view head) {
  Head parsed;
  const auto line_end = head.find("\r\n");
  const std::string_view line = head.substr(0, line_end);
  const auto first = line.find(' ');
  const auto last = line.rfind(' ');
  if (first == std::string_view::npos || last == first || line.substr(last + 1).rfind("HTTP/1.", 0) != 0) return parsed;
  std::string_view target = line.substr(first + 1, last - first - 1);
  if (const auto scheme = target.find("://"); scheme != std::string_view::npos) {  // absolute form
    const auto slash = target.find('/', scheme + 3);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  parsed.path = std::string(target.substr(0, target.find('?')));
  std::size_t at = line_end + 2;
  while (at < head.size()) {
    const auto end = head.find("\r\n", at);
    const std::string_view header = head.substr(at, end - at);
    at = end == std::string_view::npos ? head.size() : end + 2;
    const auto colon = header.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string name = lower(header.substr(0, colon));
    std::string_view value = header.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    if (name == "content-length") {
      std::from_chars(value.data(), value.data() + value.size(), parsed.content_length);
    } else if (name == "transfer-encoding" && lower(value).find("chunked") != std::string::npos) {
      parsed.chunked = true;
    }
  }
  parsed.ok = true;
  return parsed;
}

}  // namespace

std::vector<HttpPiece> HttpRequestScanner::feed(std::string_view input) {
  std::vector<HttpPiece> pieces;
  while (!input.empty()) {
    if (m_passthrough || m_body_left > 0) {
      const std::size_t take = m_passthrough ? input.size() : static_cast<std::size_t>(std::min<std::uint64_t>(m_body_left, input.size()));
      if (!pieces.empty() && !m_passthrough) pieces.back().bytes.append(input.substr(0, take));
      else pieces.push_back({false, {}, std::string(input.substr(0, take))});
      if (!m_passthrough) m_body_left -= take;
      input.remove_prefix(take);
      continue;
    }
    // Looking for the end of a head; it may straddle reads.
    const std::size_t before = m_head.size();
    m_head.append(input);
    const auto end = m_head.find("\r\n\r\n", before >= 3 ? before - 3 : 0);
    if (end == std::string::npos) {
      if (m_head.size() > k_max_head) {
        m_passthrough = true;
        pieces.push_back({false, {}, std::move(m_head)});
        m_head.clear();
      }
      break;
    }
    const std::size_t head_size = end + 4;
    const std::size_t used = head_size - before;  // bytes of `input` that completed the head
    const Head head = parse_head(std::string_view(m_head).substr(0, head_size));
    HttpPiece piece{head.ok, head.path, m_head.substr(0, head_size)};
    m_head.clear();
    input.remove_prefix(used);
    if (!head.ok || head.chunked) m_passthrough = true;
    else m_body_left = head.content_length;
    pieces.push_back(std::move(piece));
  }
  return pieces;
}

std::string HttpRequestScanner::take_held() {
  std::string held = std::move(m_head);
  m_head.clear();
  return held;
}

}  // namespace chaosgate::fault_proxy
