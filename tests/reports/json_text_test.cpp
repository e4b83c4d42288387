#include "json_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <limits>
#include <string>

namespace chaosgate {
namespace {

using nlohmann::json;

std::string dumped(const json& value) { return value.dump(2, ' ', false, json::error_handler_t::replace); }

TEST(JsonText, NestedValuesPrintAsDumpPrintsThem) {
  std::string out;
  JsonText text(out, 0);
  text.object();
  text.key("a").array().end();
  text.key("b").object().end();
  text.key("c").array().object().member("x", 1).end().string("s").number(-7LL).end();
  text.key("d").strings({"p", "q"});
  text.member("e", "text").key("f").number(18446744073709551615ULL);
  text.end();
  const json value = {{"a", json::array()},
                      {"b", json::object()},
                      {"c", json::array({json::object({{"x", 1}}), "s", -7})},
                      {"d", {"p", "q"}},
                      {"e", "text"},
                      {"f", 18446744073709551615ULL}};
  EXPECT_EQ(out, dumped(value));
}

TEST(JsonText, IndentedValueKeepsItsFirstLineToTheCaller) {
  std::string out;
  JsonText(out, 4).object().member("k", "v").key("l").strings({"w"}).end();
  EXPECT_EQ(out, "{\n      \"k\": \"v\",\n      \"l\": [\n        \"w\"\n      ]\n    }");
}

TEST(JsonText, StringsAreEscapedAsDumpEscapesThem) {
  const std::string control = [] {
    std::string s;
    for (int c = 0; c < 0x20; ++c) s += static_cast<char>(c);
    return s + "\x7f\"\\/";
  }();
  for (const std::string& value : {std::string(), std::string("plain"), control, std::string("caf\xc3\xa9 \xe2\x80\xa6 \xf0\x9f\x94\xa5"),
                                   std::string("bad \xff\xfe utf-8 \xc3"), std::string("mixed \x01 and \xe2\x80\xa6")}) {
    std::string out;
    append_json_string(out, value);
    EXPECT_EQ(out, json(value).dump(-1, ' ', false, json::error_handler_t::replace)) << value;
  }
}

}  // namespace
TEST(JsonText, DoublesAndBooleansPrintAsDumpPrintsThem) {
  const double values[] = {0.0, -0.0, 1.0, -2.0, 0.1, 1e300, 5e-324, 123456789.125, 3.0e15, 1.5e16, 1e-5,
                           std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()};
  for (const double value : values) {
    std::string out;
    JsonText(out, 0).real(value);
    EXPECT_EQ(out, nlohmann::json(value).dump()) << value;
  }
  for (const bool value : {true, false}) {
    std::string out;
    JsonText(out, 0).boolean(value);
    EXPECT_EQ(out, nlohmann::json(value).dump());
  }
}

// A value written earlier by another JsonText at the same depth is copied as
// it is, in the array it joins (the journal's spooled records).
TEST(JsonText, AValueWrittenElsewhereJoinsAtItsOwnDepth) {
  std::string record;
  JsonText(record, 4).object().member("a", 1LL).end();
  std::string whole;
  JsonText(whole, 2).array().written(record, 4).written(record, 4).end();
  std::string direct;
  JsonText both(direct, 2);
  both.array();
  for (int i = 0; i < 2; ++i) both.object().member("a", 1LL).end();
  both.end();
  EXPECT_EQ(whole, direct);
  std::string elsewhere;
  EXPECT_THROW(JsonText(elsewhere, 2).written(record, 4), std::logic_error);
}

}  // namespace chaosgate
