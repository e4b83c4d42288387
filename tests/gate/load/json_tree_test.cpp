// Our JSON reader against yaml-cpp on the same text: the trees must be the
// same node by node, positions included, so moving JSON off yaml-cpp changes
// no message and no "file:line:col".
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "load/tree_readers.h"
#include "support/files.h"
#include "support/tree_difference.h"
#include "support/yaml_cpp_tree.h"

namespace chaosgate {

namespace {

// Reads `text` both ways; both must give the same tree, or the same first error.
void expect_same(std::string_view text, const std::string& name, const ParseLimits& limits = {}) {
  ASSERT_TRUE(nlohmann::json::accept(text)) << name << ": not JSON, so not a case for this test";
  const FileName file(name);
  Diagnostics from_ours;
  Diagnostics from_yaml_cpp;
  const NodePtr ours = tree_from_json(file, text, from_ours, limits);
  const NodePtr theirs = test::tree_from_yaml_cpp(file, text, from_yaml_cpp, limits);
  EXPECT_EQ(test::first_message(from_ours), test::first_message(from_yaml_cpp)) << name;
  ASSERT_EQ(ours == nullptr, theirs == nullptr) << name;
  if (ours) {
    EXPECT_EQ(test::first_difference(*ours, *theirs), "") << name;
  }
}

// Calls `each(path, text)` for every well-formed JSON file of the repository's
// examples, tests and model (the broken-syntax examples are left out); returns how many.
template <typename Each>
int for_each_repository_json(Each each) {
  int count = 0;
  for (const char* folder : {"examples", "tests", "gate/model"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(CHAOSGATE_SOURCE_DIR) + "/" + folder)) {
      if (entry.path().extension() != ".json") continue;
      const std::string text = test::read_file(entry.path().string());
      if (!nlohmann::json::accept(text)) continue;
      each(entry.path(), text);
      ++count;
    }
  }
  return count;
}

}  // namespace

TEST(JsonTree, SameTreeAsYamlCppForTheRepositorysJsonFiles) {
  const int compared = for_each_repository_json([](const std::filesystem::path& path, const std::string& text) {
    expect_same(text, path.filename().string());
  });
  EXPECT_GE(compared, 4);
}

TEST(JsonTree, SameTreeAsYamlCppForTrickyText) {
  const std::vector<std::string> cases = {
      "{}",
      "[]",
      "\"just a string\"",
      "42",
      "null",
      "true",
      "{\"a\":{},\"b\":[],\"c\":[{}],\"d\":[[]],\"e\":{\"f\":{\"g\":[]}}}",
      "[[], {}, [[{}]], {\"x\": []}]",
      "{\"escapes\": \"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t end\"}",
      "{\"unicode\": \"\\u00e9\\u4e2d\\u0041 caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80\", \"after\": 1}",
      "{\"caf\xc3\xa9\": \"\xe4\xb8\xad\", \"next\": \"x\"}",
      "{\"nul\": \"a\\u0000b\"}",
      "[0, -0, 1.5, -2.25e-3, 6.02E+23, 1e5, 1E-5, 12345678901234567890123]",
      "[true, false, null, \"true\", \"false\", \"null\", \"1\"]",
      "{\"a\":1,\"b\":\"x\",\"c\":[1,2,{\"d\":null}]}",
      "  \n\n  {\n\t\"tabbed\":\t1 ,\n  \"spaced\"  :  [ 1 ,2 ] }\n\n",
      "{\r\n  \"crlf\": [\r\n    1,\r\n    \"two\"\r\n  ]\r\n}\r\n",
      "{\"empty\": \"\", \"\": \"empty key\"}",
      "{\"long\": \"" + std::string(3000, 'x') + "\", \"after\": true}",
      "{\"" + std::string(1000, 'k') + "\": 1}",
      "[\"#not a comment\", \"a: b\", \"- c\", \"&anchor\", \"*alias\", \"!tag\", \"{x}\", \"[y]\", \"%d\", \"@\", \"`\"]",
  };
  for (const auto& text : cases) expect_same(text, "tricky.json");
}

TEST(JsonTree, SameErrorsAsYamlCppAtTheLimits) {
  expect_same("{\"a\": 1, \"b\": 2, \"a\": 3}", "duplicate.json");
  std::string many = "{";
  for (int i = 0; i < 40; ++i) many += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ", ";
  many += "\"k33\": 0}";  // a duplicate found through the large-mapping set
  expect_same(many, "duplicate-in-large.json");

  ParseLimits limits;
  limits.max_depth = 8;
  expect_same(std::string(8, '[') + std::string(8, ']'), "depth-at-limit.json", limits);
  expect_same(std::string(9, '[') + std::string(9, ']'), "depth-over-limit.json", limits);
  expect_same("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{}}}}}}}}}", "object-depth.json", limits);

  limits = {};
  limits.max_nodes = 10;
  expect_same("[1,2,3,4,5,6,7,8,9]", "nodes-at-limit.json", limits);
  expect_same("[1,2,3,4,5,6,7,8,9,10]", "nodes-over-limit.json", limits);
  expect_same("{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6}", "keys-count.json", limits);
}

// A suite's experiments are checked as the file is read but kept out of its
// tree, then each is read alone when it is decoded (load/suite_loader.cpp):
// both readings must give what the whole tree gives, errors included.
TEST(JsonTree, DeferredExperimentsReadAloneAreTheWholeTreesElements) {
  const int compared = for_each_repository_json([](const std::filesystem::path& path, const std::string& text) {
    EXPECT_EQ(test::deferral_difference(text), "") << path;
  });
  EXPECT_GE(compared, 4);
  std::string many_values = "0";
  for (int i = 1; i < 2000; ++i) many_values += "," + std::to_string(i);
  const std::vector<std::string> cases = {
      "{\"experiments\": []}",
      "{\"experiments\": [{\"id\": \"a\"}, 1, \"s\", null, true, [], {}, [[1]], {\"x\": {\"y\": [1, {\"z\": \"\\u00e9\"}]}}],"
      " \"after\": {\"k\": [1]}}",
      "{\"name\": \"first\", \"experiments\": [\n  {\"id\": \"a\",\n   \"tags\": [\"x\"]},\n\t{\"id\": \"b\"}\n]}",
      "{\r\n  \"experiments\": [\r\n    {\"id\": \"crlf\"},\r\n    {\"id\": \"two\"}\r\n  ]\r\n}\r\n",
      "{\"experiments\": [{\"brackets\": \"[\\\"]{}\\\\\", \"caf\xc3\xa9\": \"\xe4\xb8\xad \\ud83d\\ude00\"}, {\"next\": 2}]}",
      // One element larger than the scratch space's first block.
      "{\"experiments\": [{\"big\": \"" + std::string(40000, 'x') + "\", \"list\": [" + many_values + "]}, {\"id\": \"after-big\"}]}",
      // Not deferred: not the root's array.
      "{\"catalog\": {\"experiments\": [{\"id\": \"nested\"}]}}",
      "[{\"experiments\": [{\"id\": \"in-array\"}]}]",
      "{\"experiments\": {\"id\": \"an object\"}}",
      "{\"experiments\": 5}",
      "{\"experiment\": [1], \"experimentsX\": [2]}",
  };
  for (const auto& text : cases) EXPECT_EQ(test::deferral_difference(text), "") << text.substr(0, 120);

  // Problems inside a deferred element are found while the file is read, with the whole tree's message.
  EXPECT_EQ(test::deferral_difference("{\"experiments\": [{\"id\": \"a\"}, {\"id\": \"b\", \"id\": \"c\"}]}"), "");
  EXPECT_EQ(test::deferral_difference("{\"experiments\": [1], \"experiments\": [2]}"), "");
  ParseLimits limits;
  limits.max_depth = 4;
  EXPECT_EQ(test::deferral_difference("{\"experiments\": [{\"a\": {}}]}", limits), "");
  EXPECT_EQ(test::deferral_difference("{\"experiments\": [{\"a\": {\"b\": {}}}]}", limits), "");
  limits = {};
  limits.max_nodes = 12;
  EXPECT_EQ(test::deferral_difference("{\"experiments\": [{\"a\": 1}, {\"b\": 2}], \"z\": [1]}", limits), "");
  EXPECT_EQ(test::deferral_difference("{\"experiments\": [{\"a\": 1, \"b\": [1, 2]}, {\"c\": [3, 4, 5]}]}", limits), "");
}

// Where yaml-cpp misreads JSON, ours reads it as JSON means it.
TEST(JsonTree, ReadsJsonThatYamlCppGetsWrong) {
  Diagnostics diagnostics;
  // yaml-cpp refuses \ud83d\ude00 ("invalid unicode"); JSON writes astral characters this way.
  const NodePtr emoji = tree_from_json(FileName("emoji.json"), "{\"smile\": \"\\ud83d\\ude00!\"}", diagnostics, {});
  ASSERT_TRUE(emoji) << test::first_message(diagnostics);
  EXPECT_EQ(emoji->find("smile")->scalar(), "\xf0\x9f\x98\x80!");
  // yaml-cpp keeps a lone CR (old Mac line end) in the next plain scalar: "\r1", a string.
  const NodePtr lone_cr = tree_from_json(FileName("cr.json"), "{\"a\":\r1,\r\"b\": 2}", diagnostics, {});
  ASSERT_TRUE(lone_cr) << test::first_message(diagnostics);
  EXPECT_EQ(lone_cr->find("a")->scalar(), "1");
  EXPECT_EQ(describe_kind(*lone_cr->find("a")), "a number");
  // yaml-cpp takes no key longer than 1024 characters ("a mapping key must be a plain string").
  const NodePtr long_key = tree_from_json(FileName("key.json"), "{\"" + std::string(2000, 'k') + "\": 1}", diagnostics, {});
  ASSERT_TRUE(long_key) << test::first_message(diagnostics);
  EXPECT_EQ(long_key->entries().at(0).key.size(), 2000u);
  EXPECT_FALSE(diagnostics.has_errors());
}

}  // namespace chaosgate
