#include "model/comparison.h"

#include <gtest/gtest.h>

namespace chaosgate {

TEST(Comparison, ParsesNumbersAndDurations) {
  auto ratio = parse_comparison(">= 0.99");
  ASSERT_TRUE(ratio);
  EXPECT_EQ(ratio->op, CompareOp::greater_equal);
  EXPECT_DOUBLE_EQ(ratio->value, 0.99);
  EXPECT_FALSE(ratio->is_duration);

  auto latency = parse_comparison("<=800ms");
  ASSERT_TRUE(latency);
  EXPECT_TRUE(latency->is_duration);
  EXPECT_DOUBLE_EQ(latency->value, 800);
  EXPECT_EQ(latency->to_string(), "<= 800ms");

  auto seconds = parse_comparison("< 1.5s");
  ASSERT_TRUE(seconds);
  EXPECT_DOUBLE_EQ(seconds->value, 1500);

  auto scientific = parse_comparison("== 1e3");
  ASSERT_TRUE(scientific);
  EXPECT_DOUBLE_EQ(scientific->value, 1000);
}

TEST(Comparison, Holds) {
  EXPECT_TRUE(parse_comparison("<= 800ms")->holds(800));
  EXPECT_FALSE(parse_comparison("<= 800ms")->holds(800.5));
  EXPECT_TRUE(parse_comparison("> 0")->holds(0.001));
  EXPECT_FALSE(parse_comparison("> 0")->holds(0));
  EXPECT_TRUE(parse_comparison("!= 3")->holds(2));
  EXPECT_TRUE(parse_comparison("== 200")->holds(200));
}

TEST(Comparison, RejectsMalformed) {
  for (const char* bad : {"", "0.9", "about 0.9", ">=", "=> 1", "<= 800 parsecs", "< nan", "< inf", ">= 1x"})
    EXPECT_FALSE(parse_comparison(bad).has_value()) << bad;
}

}  // namespace chaosgate
