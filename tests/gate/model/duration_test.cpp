#include "model/duration.h"

#include <gtest/gtest.h>

namespace chaosgate {

TEST(Duration, ParsesUnitsAndCombinations) {
  EXPECT_EQ(parse_duration("500ms"), Millis(500));
  EXPECT_EQ(parse_duration("30s"), Millis(30000));
  EXPECT_EQ(parse_duration("2m"), Millis(120000));
  EXPECT_EQ(parse_duration("1h"), Millis(3600000));
  EXPECT_EQ(parse_duration("1m30s"), Millis(90000));
  EXPECT_EQ(parse_duration("1.5s"), Millis(1500));
  EXPECT_EQ(parse_duration("0s"), Millis(0));
}

TEST(Duration, RejectsMalformed) {
  for (const char* bad : {"", "10", "s", "5 parsecs", "5 s", "-1s", "1.2.3s", ".5s", "5.s", "5d", "31d", "1000h", "1s2"})
    EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
}

TEST(Duration, FormatsShortest) {
  EXPECT_EQ(format_duration(Millis(0)), "0s");
  EXPECT_EQ(format_duration(Millis(250)), "250ms");
  EXPECT_EQ(format_duration(Millis(1500)), "1.5s");
  EXPECT_EQ(format_duration(Millis(4020)), "4.02s");
  EXPECT_EQ(format_duration(Millis(120000)), "2m");
  EXPECT_EQ(format_duration(Millis(90000)), "1m30s");
  EXPECT_EQ(format_duration(Millis(7200000)), "2h");
}

}  // namespace chaosgate
