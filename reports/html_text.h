#pragma once
// Text from the run made safe for report.html: cleaned (report_text.h), capped,
// and escaped so that it cannot open an element, end an attribute or start an
// entity, in element content and in double- or single-quoted attributes alike.
#include <cstddef>
#include <string>
#include <string_view>

namespace chaosgate {

// clean_text_capped(text, max_bytes, false), with & < > " ' escaped.
std::string html_text(std::string_view text, std::size_t max_bytes = 300);

// A link target for href: an http(s) URL or a relative path such as
// "tickets/SHOP-1.md" (never "javascript:", "data:", "/etc" or "//host");
// empty for anything else (a ticket key), which is then shown as text.
std::string html_link_target(std::string_view url);

}  // namespace chaosgate
