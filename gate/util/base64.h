#pragma once
#include <string>
#include <string_view>

namespace chaosgate {

// Standard base64 (RFC 4648, with padding, no line breaks):
// for HTTP basic authentication.
std::string base64_encode(std::string_view bytes);

}  // namespace chaosgate
