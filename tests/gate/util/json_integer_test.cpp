#include "util/json_integer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace chaosgate {
namespace {

using nlohmann::json;

std::string refusal(const json& value) {
  try {
    (void)json_integer<int>(value);
  } catch (const json::exception& e) {
    return e.what();
  }
  return "";
}

TEST(JsonInteger, ReadsWhatFitsAsGetDoes) {
  EXPECT_EQ(json_integer<int>(json(7)), 7);
  EXPECT_EQ(json_integer<int>(json(2.0)), 2);
  EXPECT_EQ(json_integer<int>(json(2147483647.0)), std::numeric_limits<int>::max());
  EXPECT_EQ(json_integer<int>(json(-2147483648.0)), std::numeric_limits<int>::min());
  EXPECT_EQ(json_integer<std::uint8_t>(json(255.0)), 255);
  EXPECT_EQ(json_integer<long long>(json(-9.2e18)), -9200000000000000000LL);
  EXPECT_THROW(json_integer<int>(json("7")), json::type_error);  // as get<int> refuses it
}

TEST(JsonInteger, RefusesANumberTheTypeCannotHold) {
  EXPECT_EQ(refusal(json(8.9e29)), "[json.exception.out_of_range.406] number 8.9e+29 does not fit an integer field");
  EXPECT_NE(refusal(json(2147483648.0)), "");
  EXPECT_NE(refusal(json(-2147483649.0)), "");
  EXPECT_THROW(json_integer<std::uint8_t>(json(256.0)), json::out_of_range);
  EXPECT_THROW(json_integer<std::uint64_t>(json(-1.0)), json::out_of_range);
  EXPECT_THROW(json_integer<std::uint64_t>(json(1.8446744073709552e19)), json::out_of_range);  // 2^64
  EXPECT_THROW(json_integer<long long>(json(9.2233720368547758e18)), json::out_of_range);       // 2^63
  EXPECT_THROW(json_integer<long long>(json(std::numeric_limits<double>::quiet_NaN())), json::out_of_range);
}

TEST(JsonInteger, AMemberMayBeAbsentButTheObjectMustBeOne) {
  EXPECT_EQ(json_integer_or(json{{"line", 12}}, "line", 0), 12);
  EXPECT_EQ(json_integer_or(json::object(), "line", 5), 5);
  EXPECT_THROW(json_integer_or(json{{"line", 1e12}}, "line", 0), json::out_of_range);
  EXPECT_THROW(json_integer_or(json::array(), "line", 0), json::type_error);  // as json::value refuses it
}

}  // namespace
}  // namespace chaosgate
