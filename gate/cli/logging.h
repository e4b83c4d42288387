#pragma once
// spdlog to stderr, as text or one JSON object per line; every message goes
// through redact() in the formatter, so no call site can leak a secret.
#include <string>

namespace chaosgate::cli {

enum class LogFormat { text, json };

// verbosity: -1 quiet (errors only), 0 normal (info), 1+ debug.
void setup_logging(LogFormat format, int verbosity);

}  // namespace chaosgate::cli
