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

// Registers a credential written in a suite (a command's TOKEN variable), from
// 6 characters on: a short example value ("pass") masked everywhere would
// mangle ordinary words ("passed").
void register_written_credential(std::string_view value);

// Registers the credentials a URL carries: its user-info's password (or the
// whole user-info when it has no ':', as in https://TOKEN@host) and the values
// of credential query parameters (token=, password=, ...), each of at least 6
// characters (masking "pass" everywhere would mangle "passed"). redact() masks
// those in a URL anyway; registered, they are masked wherever else they turn
// up, such as a command's output that echoes them.
void register_url_credentials(std::string_view url);

// Masks registered secrets, URL user-info ("https://user:pw@h" -> "https://***@h"),
// and the values of credential-looking headers and query parameters
// (Authorization, PRIVATE-TOKEN, X-Api-Key, token=..., password=...).
std::string redact(std::string_view text);

}  // namespace chaosgate
