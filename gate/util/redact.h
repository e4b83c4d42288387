#pragma once
// Every log line and report that can carry a header, URL or command line goes
// through redact(): secrets never leave the process.
#include <string>
#include <string_view>

namespace chaosgate {

// Registers a secret value (a token read from the environment or a file) so
// that redact() masks it wherever it appears. Values shorter than 4 characters
// are ignored (masking "a" everywhere would destroy the text). Thread-safe.
void register_secret(std::string_view value);

// Masks registered secrets, URL user-info ("https://user:pw@h" -> "https://***@h"),
// and the values of credential-looking headers and query parameters
// (Authorization, PRIVATE-TOKEN, X-Api-Key, token=..., password=...).
std::string redact(std::string_view text);

}  // namespace chaosgate
