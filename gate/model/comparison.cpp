#include "model/comparison.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <sstream>

#include "model/duration.h"

namespace chaosgate {

bool Comparison::holds(double observed) const {
  switch (op) {
    case CompareOp::less: return observed < value;
    case CompareOp::less_equal: return observed <= value;
    case CompareOp::greater: return observed > value;
    case CompareOp::greater_equal: return observed >= value;
    case CompareOp::equal: return observed == value;
    case CompareOp::not_equal: return observed != value;
  }
  return false;
}

namespace {
const char* op_text(CompareOp op) {
  switch (op) {
    case CompareOp::less: return "<";
    case CompareOp::less_equal: return "<=";
    case CompareOp::greater: return ">";
    case CompareOp::greater_equal: return ">=";
    case CompareOp::equal: return "==";
    case CompareOp::not_equal: return "!=";
  }
  return "?";
}
}  // namespace

std::string Comparison::to_string() const {
  std::ostringstream out;
  out << op_text(op) << ' ';
  if (is_duration) {
    out << format_duration(Millis(static_cast<long long>(std::llround(value))));
  } else {
    out << value;
  }
  return out.str();
}

std::optional<Comparison> parse_comparison(std::string_view text) {
  auto skip_spaces = [&] { while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1); };
  skip_spaces();
  static constexpr std::pair<std::string_view, CompareOp> k_ops[] = {
      {"<=", CompareOp::less_equal}, {">=", CompareOp::greater_equal}, {"==", CompareOp::equal},
      {"!=", CompareOp::not_equal},  {"<", CompareOp::less},           {">", CompareOp::greater}};
  Comparison result;
  bool found = false;
  for (const auto& [spelling, op] : k_ops) {
    if (text.substr(0, spelling.size()) == spelling) {
      result.op = op;
      text.remove_prefix(spelling.size());
      found = true;
      break;
    }
  }
  if (!found) return std::nullopt;
  skip_spaces();
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  // A unit makes it a duration ("800ms"); otherwise a plain number ("0.99", "-1", "1e3").
  if (std::isalpha(static_cast<unsigned char>(text.back())) && text.back() != 'e') {
    const auto ms = parse_duration(text);
    if (!ms) return std::nullopt;
    result.value = static_cast<double>(ms->count());
    result.is_duration = true;
    return result;
  }
  double number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(number)) return std::nullopt;
  result.value = number;
  return result;
}

}  // namespace chaosgate
