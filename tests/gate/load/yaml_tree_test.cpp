// The YAML reader (libyaml) against yaml-cpp, which read every suite before
// it: the same tree node by node, positions included, wherever both read the
// text, and the same texts refused.
#include <gtest/gtest.h>

#include <filesystem>

#include "load/tree_readers.h"
#include "support/files.h"
#include "support/tree_difference.h"
#include "support/yaml_cpp_tree.h"
#include "util/text.h"

namespace chaosgate {

namespace {

struct BothReadings {
  NodePtr ours;
  NodePtr theirs;
  std::string our_error;
  std::string their_error;
};

BothReadings read_both(std::string_view text, const std::string& name) {
  const FileName file(name);
  Diagnostics ours;
  Diagnostics theirs;
  BothReadings readings;
  readings.ours = tree_from_yaml(file, text, ours, {});
  readings.theirs = test::tree_from_yaml_cpp(file, text, theirs, {});
  readings.our_error = test::first_message(ours);
  readings.their_error = test::first_message(theirs);
  return readings;
}

void expect_same_tree(std::string_view text, const std::string& name) {
  const BothReadings both = read_both(text, name);
  ASSERT_TRUE(both.theirs) << name << ": yaml-cpp refused it: " << both.their_error;
  ASSERT_TRUE(both.ours) << name << ": " << both.our_error;
  EXPECT_EQ(test::first_difference(*both.ours, *both.theirs), "") << name;
}

}  // namespace

TEST(YamlTree, SameTreeAsYamlCppForTheRepositorysYamlFiles) {
  int compared = 0;
  for (const char* folder : {"examples", "tests", "ci-templates"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(CHAOSGATE_SOURCE_DIR) + "/" + folder)) {
      const auto extension = entry.path().extension();
      if (extension != ".yaml" && extension != ".yml") continue;
      const std::string text = test::read_file(entry.path().string());
      if (find_invalid_utf8(text)) continue;  // parse_document refuses it before any reader runs
      const BothReadings both = read_both(text, entry.path().filename().string());
      // The broken-syntax examples: refused by both.
      EXPECT_EQ(both.ours == nullptr, both.theirs == nullptr)
          << entry.path() << ": ours: " << both.our_error << "; yaml-cpp: " << both.their_error;
      if (both.ours && both.theirs) {
        EXPECT_EQ(test::first_difference(*both.ours, *both.theirs), "") << entry.path();
        ++compared;
      }
    }
  }
  EXPECT_GE(compared, 15);
}

TEST(YamlTree, SameTreeAsYamlCppForTrickyText) {
  const std::vector<std::string> cases = {
      "a: 1\n",
      "- x\n- y\n",
      "plain\n",
      "a: ''\nb: ~\nc: null\nd: Null\ne: NULL\nf: 'null'\ng: \"~\"\nh: nil\n",
      "- ~\n- ''\n- null\n",
      "a: \"2\"\nb: 2\nc: 'true'\nd: true\ne: 1.5e3\nf: 0x1F\ng: -0\n",
      "a: !!str 2\nb: ! 3\nc: !!int \"4\"\nd: !custom 5\ne: !!null ''\n",
      "literal: |\n  line one\n  line two\nfolded: >\n  folded\n  text\n\nkeep: |+\n  kept\n\nstrip: |-\n  stripped\n",
      "base: &base\n  a: 1\n  b: [x, y]\nuse: *base\nlist: &l [1, 2]\nagain: *l\nscalar: &s text\nref: *s\n",
      "a: &x one\nb: *x\nc: &x two\nd: *x\n",
      "flow: {a: 1, b: [2, 3], c: {d: e}}\nempty: {}\nnone: []\n",
      "# comment\na: 1 # trailing\n# between\nb:\n  # inside\n  - c\n",
      "key with spaces: value with spaces\n\"quoted key\": 'single ''quoted'' value'\n",
      "multi: this is\n  a plain scalar\n  over lines\n",
      "---\na: 1\n...\n",
      "--- \nexperiments:\n  - id: a\n    retries: 2\n  - id: b\n    tags: [x, y]\n",
      "unicode: caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80\nescaped: \"\\u00e9\\t\\n\"\n",
      "crlf: 1\r\nlist:\r\n  - a\r\n  - b\r\n",
      "nested:\n- a: 1\n  b:\n  - c\n  - d: e\n- f\n",
      "? complex key\n: value\n",
      "a: [1, 2,\n  3]\nb: {x: 1,\n  y: 2}\n",
      "url: http://example.com:8080/path?q=1\nratio: '>= 0.95'\nlatency: <= 500ms\n",
  };
  for (const auto& text : cases) expect_same_tree(text, "case.yaml");
}

TEST(YamlTree, RefusesWhatYamlCppRefused) {
  const std::vector<std::string> cases = {
      "a: [unclosed\n",
      "a: {b: 1\n",
      "a: 1\n b: 2\n",
      "a: b: c\n",
      "- a\nb: 1\n",
      "a: *nowhere\n",
      "a: \"bad escape \\q\"\n",
      "a: 1\na: 2\n",
      "---\na: 1\n---\nb: 2\n",
      "\t- a\n",
  };
  for (const auto& text : cases) {
    const BothReadings both = read_both(text, "broken.yaml");
    EXPECT_FALSE(both.theirs) << text;
    EXPECT_FALSE(both.ours) << text << " was read";
    EXPECT_NE(both.our_error, "") << text;
  }
}

// Where the two differ, on purpose.
TEST(YamlTree, DiffersFromYamlCppWhereYamlCppWasWrong) {
  // An empty value is a null where it is missing, right after its key or dash;
  // yaml-cpp placed it at the next token, on a later line.
  const BothReadings empty = read_both("a:\nb:\n  - \n  - x\n", "empty.yaml");
  ASSERT_TRUE(empty.ours) << empty.our_error;
  ASSERT_TRUE(empty.theirs);
  EXPECT_EQ(empty.ours->find("a")->kind, Node::Kind::null);
  EXPECT_EQ(empty.ours->find("a")->location.to_string(), "empty.yaml:1:3");
  EXPECT_EQ(empty.theirs->find("a")->location.to_string(), "empty.yaml:2:1");
  EXPECT_EQ(empty.ours->find("b")->items()[0]->kind, Node::Kind::null);
  EXPECT_EQ(empty.ours->find("b")->items()[0]->location.line, 3);
  EXPECT_EQ(test::first_difference(*empty.ours, *empty.theirs).find("at empty.yaml:1:3 vs empty.yaml:2:1"), 5u);
  // A quoted scalar that never closes: yaml-cpp read it to the end of the file.
  const BothReadings unterminated = read_both("a: 'unterminated\n", "quote.yaml");
  EXPECT_TRUE(unterminated.theirs);
  EXPECT_FALSE(unterminated.ours);
  EXPECT_NE(unterminated.our_error.find("found unexpected end of stream"), std::string::npos) << unterminated.our_error;
}

TEST(YamlTree, ErrorsNameWhereAndWhat) {
  Diagnostics diagnostics;
  EXPECT_FALSE(tree_from_yaml(FileName("s.yaml"), "name: x\nexperiments:\n  - id: a\n    title: [unclosed\n", diagnostics, {}));
  EXPECT_EQ(test::first_message(diagnostics),
            "s.yaml:5:1: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence "
            "started at line 4, column 12)");
  Diagnostics several;
  EXPECT_FALSE(tree_from_yaml(FileName("s.yaml"), "a: 1\n---\nb: 2\n", several, {}));
  EXPECT_NE(test::first_message(several).find("several YAML documents"), std::string::npos);
  Diagnostics alias;
  EXPECT_FALSE(tree_from_yaml(FileName("s.yaml"), "a: 1\nb: *nowhere\n", alias, {}));
  EXPECT_EQ(test::first_message(alias), "s.yaml:2:4: error: unknown alias");
}

}  // namespace chaosgate
