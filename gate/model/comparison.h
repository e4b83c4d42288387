#pragma once
// A bound such as "<= 800ms", ">= 0.99", "< 0.05", "== 200".
#include <optional>
#include <string>
#include <string_view>

namespace chaosgate {

enum class CompareOp { less, less_equal, greater, greater_equal, equal, not_equal };

struct Comparison {
  CompareOp op = CompareOp::less_equal;
  double value = 0;        // durations are stored in milliseconds
  bool is_duration = false;

  bool holds(double observed) const;
  std::string to_string() const;  // canonical text, e.g. "<= 800ms"
  bool operator==(const Comparison&) const = default;
};

// Parses "<op> <number>[unit]". A duration unit (ms, s, m, h) makes it a
// duration bound in milliseconds. Returns nullopt when malformed.
std::optional<Comparison> parse_comparison(std::string_view text);

}  // namespace chaosgate
