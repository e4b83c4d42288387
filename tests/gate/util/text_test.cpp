#include "util/text.h"

#include <gtest/gtest.h>

namespace chaosgate {

TEST(Text, ClosestMatchSuggestsTypos) {
  const std::vector<std::string> fields = {"hypothesis", "timeout", "targets", "title"};
  EXPECT_EQ(closest_match("hypothesys", fields), "hypothesis");
  EXPECT_EQ(closest_match("timeot", fields), "timeout");
  EXPECT_EQ(closest_match("Targets", fields), "targets");
  EXPECT_FALSE(closest_match("weather", fields).has_value());
}

TEST(Text, GlobMatch) {
  EXPECT_TRUE(glob_match("cart-*", "cart-redis-pause"));
  EXPECT_FALSE(glob_match("cart-*", "checkout"));
  EXPECT_TRUE(glob_match("*-pause", "cart-redis-pause"));
  EXPECT_TRUE(glob_match("c?rt", "cart"));
  EXPECT_TRUE(glob_match("[ab]x", "bx"));
  EXPECT_TRUE(glob_match("services/cart/**", "services/cart/src/main.cpp", true));
  EXPECT_FALSE(glob_match("services/*.cpp", "services/cart/main.cpp", true));
  EXPECT_TRUE(glob_match("services/*/main.cpp", "services/cart/main.cpp", true));
  // A pathological pattern ends instead of spinning.
  EXPECT_FALSE(glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*b", std::string(200, 'a')));
}

TEST(Text, FindsInvalidUtf8) {
  EXPECT_FALSE(find_invalid_utf8("plain ascii").has_value());
  EXPECT_FALSE(find_invalid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\xa5").has_value());
  EXPECT_EQ(find_invalid_utf8("caf\xe9"), 3u);              // Latin-1 byte
  EXPECT_EQ(find_invalid_utf8("ab\xc0\xaf"), 2u);           // overlong "/"
  EXPECT_EQ(find_invalid_utf8("x\xed\xa0\x80"), 1u);        // surrogate
  EXPECT_EQ(find_invalid_utf8("x\xf4\x90\x80\x80"), 1u);    // past U+10FFFF
  EXPECT_EQ(find_invalid_utf8("abc\xe2\x82"), 3u);          // truncated
}

TEST(Text, AppendUtf8WritesWhatDecodeUtf8Reads) {
  for (const char32_t code : {U'\0', U'A', U'\x7F', U'\x80', U'\u00E9', U'\u07FF', U'\u0800', U'\uFFFD', U'\uFFFF', U'\U00010000',
                              U'\U0001F525', U'\U0010FFFF'}) {
    std::string text;
    append_utf8(text, code);
    char32_t decoded = 0;
    EXPECT_EQ(decode_utf8(text, 0, decoded), text.size()) << static_cast<unsigned>(code);
    EXPECT_EQ(decoded, code);
  }
  std::string fire;
  append_utf8(fire, U'\U0001F525');
  EXPECT_EQ(fire, "\xF0\x9F\x94\xA5");
}

TEST(Text, LineAndColumn) {
  const std::string text = "ab\ncd\nef";
  EXPECT_EQ(line_and_column(text, 0), std::make_pair(1, 1));
  EXPECT_EQ(line_and_column(text, 4), std::make_pair(2, 2));
  EXPECT_EQ(line_and_column(text, 6), std::make_pair(3, 1));
}

}  // namespace chaosgate
