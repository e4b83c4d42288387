#include "model/duration.h"

#include <cctype>
#include <cmath>

namespace chaosgate {

namespace {
constexpr double k_max_ms = 30.0 * 24 * 3600 * 1000;  // 30 days: anything longer is a typo

std::optional<double> unit_ms(std::string_view unit) {
  if (unit == "ms") return 1.0;
  if (unit == "s") return 1000.0;
  if (unit == "m") return 60000.0;
  if (unit == "h") return 3600000.0;
  return std::nullopt;
}
}  // namespace

std::optional<Millis> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t number_start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    if (i == number_start) return std::nullopt;
    const std::string number(text.substr(number_start, i - number_start));
    if (number.find('.') != number.rfind('.') || number.front() == '.' || number.back() == '.') return std::nullopt;
    const std::size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    const auto factor = unit_ms(text.substr(unit_start, i - unit_start));
    if (!factor) return std::nullopt;
    total += std::stod(number) * *factor;
    if (total > k_max_ms) return std::nullopt;
  }
  return Millis(static_cast<long long>(std::llround(total)));
}

std::string format_duration(Millis d) {
  const long long ms = d.count();
  if (ms == 0) return "0s";
  if (ms % 3600000 == 0) return std::to_string(ms / 3600000) + "h";
  if (ms >= 60000) {
    const std::string minutes = std::to_string(ms / 60000) + "m";
    return ms % 60000 == 0 ? minutes : minutes + format_duration(Millis(ms % 60000));
  }
  if (ms < 1000) return std::to_string(ms) + "ms";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  // Seconds with up to three decimals, trailing zeros dropped: "1.5s", "4.02s".
  std::string fraction = std::to_string(1000 + ms % 1000).substr(1);
  while (fraction.back() == '0') fraction.pop_back();
  return std::to_string(ms / 1000) + "." + fraction + "s";
}

}  // namespace chaosgate
