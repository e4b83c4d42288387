#include "load/document.h"

#include <gtest/gtest.h>

#include "support/resident_bytes.h"
#include "support/temp_dir.h"

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

namespace {
// A JSON suite of `count` experiments, each on a line of its own.
std::string large_json_suite(int count) {
  std::string text = "{\"name\": \"large\", \"experiments\": [";
  for (int i = 0; i < count; ++i)
    text += std::string(i == 0 ? "" : ",") + "\n  {\"id\": \"e" + std::to_string(i) + "\", \"title\": \"" +
            std::string(80, 'x') + "\"}";
  return text + "\n]}\n";
}
}  // namespace

// A large suite file read from a copy (util/paged_text.h): each of the three
// readings gives back the pages it passed, and what is read is what the same
// text in memory gives.
TEST(Document, ALargeJsonCopyGivesBackItsPagesBehindEachReading) {
  const test::TempDir dir;
  const std::string text = large_json_suite(20000);  // ~2.2 MB
  PagedFile file = read_file_paged(dir.write("large.json", text).string(), text.size(), dir.str());
  ASSERT_TRUE(file && file.text.is_copy()) << file.reason;
  Diagnostics diagnostics;
  std::vector<ValueStart> deferred;
  const NodePtr root = parse_document("large.json", file.text, "json", diagnostics, {}, &deferred);
  ASSERT_TRUE(root) << diagnostics.items().front().to_string();
  ASSERT_EQ(deferred.size(), 20000u);
  EXPECT_LE(test::mapping_resident_bytes(file.text.view().data()), 256 * 1024) << "of a text of " << text.size() << " bytes";

  Diagnostics in_memory_diagnostics;
  std::vector<ValueStart> in_memory;
  ASSERT_TRUE(parse_document("large.json", std::string_view(text), "json", in_memory_diagnostics, {}, &in_memory));
  for (std::size_t i = 0; i < deferred.size(); i += 997) {
    EXPECT_EQ(deferred[i].offset, in_memory[i].offset);
    EXPECT_EQ(deferred[i].line, in_memory[i].line);
    EXPECT_EQ(deferred[i].column, in_memory[i].column);
  }
  EXPECT_EQ(root->find("name")->scalar(), "large");
}

// A problem found by a reading that gives back pages is still reported where it is.
TEST(Document, ALargeCopysProblemsAreFoundPastThePagesGivenBack) {
  const test::TempDir dir;
  std::string text = large_json_suite(5000);
  const std::size_t middle = text.find("\"e2500\"");
  for (const auto& [bad, message] : std::vector<std::pair<std::string, std::string>>{
           {std::string(1, '\0'), "NUL byte"}, {"\xC3(", "invalid UTF-8"}, {"'", "invalid JSON"}}) {
    std::string broken = text;
    broken.replace(middle, 1, bad);
    PagedFile file = read_file_paged(dir.write("broken.json", broken).string(), broken.size(), dir.str());
    ASSERT_TRUE(file && file.text.is_copy());
    Diagnostics diagnostics;
    std::vector<ValueStart> deferred;
    EXPECT_FALSE(parse_document("broken.json", file.text, "json", diagnostics, {}, &deferred));
    ASSERT_EQ(diagnostics.items().size(), 1u);
    const std::string reported = diagnostics.items().front().to_string();
    EXPECT_NE(reported.find(message), std::string::npos) << reported;
    EXPECT_NE(reported.find("broken.json:2502:"), std::string::npos) << reported;
  }
}

}  // namespace chaosgate
