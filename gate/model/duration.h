#pragma once
// Durations as written in suites: "500ms", "30s", "2m", "1h", "1m30s".
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace chaosgate {

using Millis = std::chrono::milliseconds;

// Returns the duration, or nullopt when `text` is not a well-formed duration
// (empty, no unit, unknown unit, negative, overflow past 30 days).
std::optional<Millis> parse_duration(std::string_view text);

// Shortest faithful rendering: 1500ms -> "1.5s", 120000ms -> "2m", 0 -> "0s".
std::string format_duration(Millis d);

}  // namespace chaosgate
