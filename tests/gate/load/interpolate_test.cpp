#include "load/interpolate.h"

#include <gtest/gtest.h>

#include <map>

namespace chaosgate {

namespace {
VariableLookup from(std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    const auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}
}  // namespace

TEST(Interpolate, ReplacesVariablesAndDefaults) {
  const auto lookup = from({{"HOST", "127.0.0.1"}, {"EMPTY", ""}});
  EXPECT_EQ(interpolate("http://${HOST}:${PORT:-8080}/x", lookup).text, "http://127.0.0.1:8080/x");
  EXPECT_EQ(interpolate("[${EMPTY:-fallback}]", lookup).text, "[]");  // set but empty stays empty
  EXPECT_EQ(interpolate("cost $$5 and $HOME", lookup).text, "cost $5 and $HOME");
  EXPECT_EQ(interpolate("${MISSING:-}", lookup).text, "");
}

TEST(Interpolate, ReportsUnsetAndSyntax) {
  const auto lookup = from({});
  auto result = interpolate("${A}/${B:-b}/${C}", lookup);
  EXPECT_EQ(result.unset, (std::vector<std::string>{"A", "C"}));
  EXPECT_EQ(result.used, (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_FALSE(interpolate("${OPEN", lookup).syntax_error.empty());
  EXPECT_FALSE(interpolate("${1BAD}", lookup).syntax_error.empty());
  EXPECT_FALSE(interpolate("${}", lookup).syntax_error.empty());
}

}  // namespace chaosgate
