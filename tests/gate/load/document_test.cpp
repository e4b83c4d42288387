#include "load/document.h"

#include <gtest/gtest.h>

namespace chaosgate {

namespace {
struct Parsed {
  NodePtr root;
  Diagnostics diagnostics;
  std::string first_error() const {
    return diagnostics.items().empty() ? "" : diagnostics.items().front().to_string();
  }
};

Parsed parse(std::string_view text, std::string_view format, ParseLimits limits = {}) {
  Parsed parsed;
  parsed.root = parse_document("suite." + std::string(format), text, format, parsed.diagnostics, limits);
  return parsed;
}
}  // namespace

TEST(Document, JsonAndYamlGiveTheSameTreeWithPositions) {
  const auto json = parse("{\n  \"name\": \"shop\",\n  \"experiments\": [\n    {\"id\": \"a\", \"retries\": 2}\n  ]\n}", "json");
  const auto yaml = parse("name: shop\nexperiments:\n  - id: a\n    retries: 2\n", "yaml");
  ASSERT_TRUE(json.root) << json.first_error();
  ASSERT_TRUE(yaml.root) << yaml.first_error();
  for (const auto* root : {json.root.get(), yaml.root.get()}) {
    ASSERT_EQ(root->kind, Node::Kind::mapping);
    EXPECT_EQ(root->find("name")->scalar(), "shop");
    const Node* experiment = root->find("experiments")->items().at(0);
    EXPECT_EQ(experiment->find("id")->scalar(), "a");
    EXPECT_EQ(describe_kind(*experiment->find("retries")), "a number");
  }
  EXPECT_EQ(json.root->find("experiments")->items()[0]->find("retries")->location.line, 4);
  EXPECT_EQ(json.root->find_entry("name")->key_location.to_string(), "suite.json:2:3");
  EXPECT_EQ(yaml.root->find("experiments")->items()[0]->find("retries")->location.to_string(), "suite.yaml:4:14");
}

TEST(Document, QuotedScalarsAreStrings) {
  const auto yaml = parse("a: \"2\"\nb: 2\nc: 'true'\nd: true\n", "yaml");
  ASSERT_TRUE(yaml.root);
  EXPECT_EQ(describe_kind(*yaml.root->find("a")), "a string");
  EXPECT_EQ(describe_kind(*yaml.root->find("b")), "a number");
  EXPECT_EQ(describe_kind(*yaml.root->find("c")), "a string");
  EXPECT_EQ(describe_kind(*yaml.root->find("d")), "a boolean");
}

TEST(Document, RejectsDuplicateKeysWithBothLines) {
  const auto yaml = parse("a: 1\nb: 2\na: 3\n", "yaml");
  EXPECT_FALSE(yaml.root);
  EXPECT_EQ(yaml.first_error(), "suite.yaml:3:1: error: duplicate key \"a\" (first defined at line 1)");
  const auto json = parse("{\"a\": 1, \"a\": 2}", "json");
  EXPECT_FALSE(json.root);
  EXPECT_NE(json.first_error().find("duplicate key \"a\""), std::string::npos);
}

TEST(Document, LargeMappingsKeepEveryKeyAndFindDuplicatesThroughTheSet) {
  // Past 16 keys duplicates are found through a set of the arena's key copies:
  // the reader's text of a key is gone once the key is handed over, so the
  // tree and the set must hold their own copies (long keys: no small-string
  // buffer to hide a dangling view).
  for (const char* format : {"yaml", "json"}) {
    std::string text = std::string(format) == "json" ? "{" : "";
    for (int i = 0; i < 40; ++i) {
      const std::string key = "key-number-" + std::to_string(i) + "-long-enough-for-the-heap";
      text += std::string(format) == "json" ? (i ? ", \"" : "\"") + key + "\": " + std::to_string(i) : key + ": " + std::to_string(i) + "\n";
    }
    if (std::string(format) == "json") text += "}";
    const auto parsed = parse(text, format);
    ASSERT_TRUE(parsed.root) << format << ": " << parsed.first_error();
    ASSERT_EQ(parsed.root->entries().size(), 40u) << format;
    for (int i = 0; i < 40; ++i) {
      const Node* value = parsed.root->find("key-number-" + std::to_string(i) + "-long-enough-for-the-heap");
      ASSERT_TRUE(value) << format << " key " << i;
      EXPECT_EQ(value->scalar(), std::to_string(i)) << format;
    }
  }
  std::string yaml;
  for (int i = 0; i < 40; ++i) yaml += "k" + std::to_string(i) + ": " + std::to_string(i) + "\n";
  yaml += "k33: again\n";
  const auto duplicate = parse(yaml, "yaml");
  EXPECT_FALSE(duplicate.root);
  EXPECT_EQ(duplicate.first_error(), "suite.yaml:41:1: error: duplicate key \"k33\" (first defined at line 34)");
}

TEST(Document, StrictJson) {
  // YAML would accept these; a .json file must not.
  for (const char* bad : {"{\"a\": 1,}", "{a: 1}", "{\"a\": 'x'}", "{\"a\": 1} // comment", "[1, 2"}) {
    const auto parsed = parse(bad, "json");
    EXPECT_FALSE(parsed.root) << bad;
    EXPECT_NE(parsed.first_error().find("invalid JSON"), std::string::npos) << parsed.first_error();
  }
  const auto located = parse("{\n  \"a\": 1,\n  \"b\": ]\n}", "json");
  EXPECT_EQ(located.first_error().substr(0, 15), "suite.json:3:8:");
}

TEST(Document, RejectsBadEncodings) {
  EXPECT_NE(parse("", "yaml").first_error().find("file is empty"), std::string::npos);
  EXPECT_NE(parse(" \n\t\n", "yaml").first_error().find("file is empty"), std::string::npos);
  EXPECT_NE(parse("\xEF\xBB\xBF{}", "json").first_error().find("byte order mark"), std::string::npos);
  EXPECT_NE(parse(std::string_view("\xFF\xFE" "a\0:\0", 6), "yaml").first_error().find("UTF-16"), std::string::npos);
  EXPECT_NE(parse(std::string_view("a: \0\x01", 5), "yaml").first_error().find("NUL byte"), std::string::npos);
  EXPECT_EQ(parse("a: ok\nb: caf\xe9\n", "yaml").first_error(), "suite.yaml:2:7: error: invalid UTF-8 byte sequence");
}

TEST(Document, DeepNestingIsAnErrorNotACrash) {
  const std::string deep_json = std::string(10000, '[') + std::string(10000, ']');
  const auto json = parse(deep_json, "json");
  EXPECT_FALSE(json.root);
  EXPECT_NE(json.first_error().find("nesting deeper than 64 levels"), std::string::npos) << json.first_error();

  std::string deep_yaml;
  for (int i = 0; i < 10000; ++i) deep_yaml += "{a: ";
  deep_yaml += "1" + std::string(10000, '}');
  const auto yaml = parse(deep_yaml, "yaml");
  EXPECT_FALSE(yaml.root);
  EXPECT_FALSE(yaml.first_error().empty());
}

TEST(Document, AliasBombIsBounded) {
  std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i) {
    bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) bomb += std::string(k ? ", " : "") + "*a" + std::to_string(i - 1);
    bomb += "]\n";
  }
  const auto parsed = parse(bomb, "yaml");
  EXPECT_FALSE(parsed.root);
  EXPECT_NE(parsed.first_error().find("too many values"), std::string::npos) << parsed.first_error();
}

TEST(Document, SizeLimitNamesTheLimit) {
  ParseLimits limits;
  limits.max_bytes = 1024;
  const auto parsed = parse(std::string(2048, ' '), "yaml", limits);
  EXPECT_FALSE(parsed.root);
  EXPECT_NE(parsed.first_error().find("limit"), std::string::npos);
}

TEST(Document, SeveralYamlDocumentsAreRefused) {
  const auto parsed = parse("a: 1\n---\nb: 2\n", "yaml");
  EXPECT_FALSE(parsed.root);
  EXPECT_NE(parsed.first_error().find("several YAML documents"), std::string::npos);
}

}  // namespace chaosgate
