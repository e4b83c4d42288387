#include "html_text.h"

#include "report_text.h"
#include "util/text.h"

namespace chaosgate {

namespace {
std::string escaped(const std::string& clean) {
  std::string out;
  out.reserve(clean.size() + 16);
  for (const char c : clean) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}
}  // namespace

std::string html_text(std::string_view text, std::size_t max_bytes) {
  return escaped(clean_text_capped(text, max_bytes, false));
}

std::string html_link_target(std::string_view url) {
  // A relative path (the file tracker's tickets/KEY.md, beside report.html)
  // has a slash and no scheme: a colon before its first slash would make one,
  // and only http(s) is let through. A bare key ("SHOP-1") is no path.
  const bool web = is_web_url(url);
  const std::size_t slash = url.find('/');
  const bool relative = slash != std::string_view::npos && slash > 0 && url.substr(0, slash).find(':') == std::string_view::npos;
  if (!web && !relative) return {};
  const std::string clean = clean_text_capped(url, 2048, false);
  // A URL cut short, or with a space in it, would point somewhere else.
  if (clean.size() != url.size() || clean.find(' ') != std::string::npos) return {};
  return escaped(clean);
}

}  // namespace chaosgate
