#include "model/text_list.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace chaosgate {

// Each text reads back as it was added, empty ones and ones with any byte
// included, by position and in order.
TEST(TextList, ReadsBackEachTextInOrder) {
  TextList list;
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.begin(), list.end());
  const std::vector<std::string> texts = {"e00001", "", "b\"c", std::string("nul\0inside", 10), "", "d\n\xff"};
  for (const auto& text : texts) list.push_back(text);
  ASSERT_EQ(list.size(), texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) EXPECT_EQ(list[i], texts[i]) << "text " << i;
  EXPECT_EQ(std::vector<std::string>(list.begin(), list.end()), texts);
  EXPECT_EQ(list, TextList(texts));
  EXPECT_NE(list, (TextList{"e00001", "", "b\"c"}));
  EXPECT_NE((TextList{"ab", "c"}), (TextList{"a", "bc"})) << "where one text ends is part of the list";
}

// Written and read as the array of strings it replaced in journals.
TEST(TextList, IsAJsonArrayOfStrings) {
  const TextList list{"a", "", "b\"c"};
  const nlohmann::json json = list;
  EXPECT_EQ(json, nlohmann::json::parse(R"(["a", "", "b\"c"])"));
  EXPECT_EQ(json.get<TextList>(), list);
  EXPECT_TRUE(nlohmann::json::array().get<TextList>().empty());

  // A journal's mistakes are reported as the vector's were.
  for (const char* bad : {R"({"a": "b"})", R"(["a", 1])", R"("a")"}) {
    std::string expected, got;
    try {
      (void)nlohmann::json::parse(bad).get<std::vector<std::string>>();
    } catch (const nlohmann::json::exception& e) {
      expected = e.what();
    }
    try {
      (void)nlohmann::json::parse(bad).get<TextList>();
    } catch (const nlohmann::json::exception& e) {
      got = e.what();
    }
    EXPECT_FALSE(expected.empty()) << bad;
    EXPECT_EQ(got, expected) << bad;
  }
}

}  // namespace chaosgate
