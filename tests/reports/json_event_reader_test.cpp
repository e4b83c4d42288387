#include "json_event_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/run_fixture.h"

namespace chaosgate {
namespace {

using nlohmann::json;

// Every event as a line of text (doubles bit for bit), and whether a syntax
// error was reported: what must be the same for nlohmann's parser and ours.
class Recorder : public json::json_sax_t {
public:
  std::vector<std::string> events;
  bool syntax_error = false;

  bool null() override { return add("null"); }
  bool boolean(bool v) override { return add(v ? "true" : "false"); }
  bool number_integer(number_integer_t v) override { return add("int " + std::to_string(v)); }
  bool number_unsigned(number_unsigned_t v) override { return add("uint " + std::to_string(v)); }
  bool number_float(number_float_t v, const string_t&) override {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    return add("float " + std::to_string(bits));
  }
  bool string(string_t& v) override { return add("string " + v); }
  bool binary(binary_t&) override { return add("binary"); }
  bool start_object(std::size_t) override { return add("{"); }
  bool key(string_t& k) override { return add("key " + k); }
  bool end_object() override { return add("}"); }
  bool start_array(std::size_t) override { return add("["); }
  bool end_array() override { return add("]"); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    syntax_error = true;
    return false;
  }

private:
  bool add(std::string event) {
    events.push_back(std::move(event));
    return true;
  }
};

struct Outcome {
  bool parsed;
  std::vector<std::string> events;
};

Outcome with_nlohmann(const std::string& text) {
  Recorder recorder;
  const bool parsed = json::sax_parse(text, &recorder);
  // Events after the last complete value may differ in how far each parser
  // read before noticing; compare up to the error only through acceptance.
  return {parsed, parsed ? recorder.events : std::vector<std::string>{}};
}

Outcome with_ours(const std::string& text) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::tmpfile(), &std::fclose);
  std::fwrite(text.data(), 1, text.size(), file.get());
  std::rewind(file.get());
  Recorder recorder;
  const bool parsed = read_json_events(file.get(), recorder);
  EXPECT_EQ(parsed, !recorder.syntax_error) << text;
  return {parsed, parsed ? recorder.events : std::vector<std::string>{}};
}

// The same text read where it is in memory (the journal spool's records).
Outcome with_ours_in_memory(const std::string& text) {
  Recorder recorder;
  const bool parsed = read_json_events(std::string_view(text), recorder);
  EXPECT_EQ(parsed, !recorder.syntax_error) << text;
  return {parsed, parsed ? recorder.events : std::vector<std::string>{}};
}

void expect_same(const std::string& text) {
  const Outcome theirs = with_nlohmann(text);
  const Outcome ours = with_ours(text);
  EXPECT_EQ(ours.parsed, theirs.parsed) << text;
  EXPECT_EQ(ours.events, theirs.events) << text;
  const Outcome in_memory = with_ours_in_memory(text);
  EXPECT_EQ(in_memory.parsed, theirs.parsed) << text;
  EXPECT_EQ(in_memory.events, theirs.events) << text;
}

TEST(JsonEventReader, AcceptsAndRefusesWhatNlohmannDoes) {
  const std::vector<std::string> texts = {
      "", " ", "{}", "[]", " { } ", "[1,2,3]", "[1,]", "[,1]", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":}", "{1:2}",
      "{\"a\":1 \"b\":2}", "[1 2]", "[[[]]]", "[[[]]", "]", "}", "{\"a\":[{\"b\":null}],\"c\":true,\"d\":false}",
      "true", "tru", "truex", "nul", "null null", "false", "\"x\"", "\"x", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\x\"",
      "\"\\u0041\\u00e9\\u20AC\\ud83d\\ude00\"", "\"\\ud83d\"", "\"\\ud83dx\"", "\"\\ude00\"", "\"\\u12\"", "\"\\u12G4\"",
      "\"tab\there\"", "\"nl\nhere\"", std::string("\"nul\0\"", 6), "\"\x7f\"", "\"caf\xc3\xa9\"", "\"\xc3\"",
      "\"\xc0\xaf\"", "\"\xe0\x80\x80\"", "\"\xed\xa0\x80\"", "\"\xf0\x9f\x98\x80\"", "\"\xf4\x90\x80\x80\"", "\"\xff\"",
      "\xef\xbb\xbf{}", "\xef\xbb{}", "0", "-0", "01", "-", "-a", "1.", "1.5", ".5", "1e5", "1E+5", "1e-5", "1e", "1e+",
      "-1.25e-3", "12345678901234567890", "18446744073709551615", "18446744073709551616", "-9223372036854775808",
      "-9223372036854775809", "1e400", "-1e400", "1e-400", "0.1", "3.141592653589793", "2.2250738585072014e-308",
      "4.9e-324", "1x", "[1]x", "{} {}", "\t\r\n[\t1\r\n]\n", "[\"a\",\"\"]", "{\"\":\"\"}", "{\"a\":1,\"a\":2}"};
  for (const std::string& text : texts) expect_same(text);
}

// Strings, numbers and literals that straddle the 1 MiB read chunks.
TEST(JsonEventReader, TokensAcrossChunkBoundaries) {
  const std::string piece = "{\"k\\u00e9y\":\"v\xc3\xa9\\n\\ud83d\\ude00 \xf0\x9f\x98\x80 long text\",\"n\":-12.5e-1,\"t\":true,\"u\":null}";
  for (std::size_t shift = 0; shift < 13; ++shift) {
    std::string text = "[" + std::string((1u << 20) - 7 - shift, ' ');
    for (int i = 0; i < 40; ++i) text += piece + ",";
    text += "1]";
    expect_same(text);
  }
}

// Indentation is skipped 8 spaces at a time: runs of it that end at, start
// at or straddle a chunk's end at every offset.
TEST(JsonEventReader, WhitespaceAcrossChunkBoundaries) {
  for (std::size_t offset = 0; offset <= 33; ++offset) {
    const std::string text = "[\"" + std::string((1u << 20) - 4 - offset, 'a') + "\"," + std::string(17, ' ') + "\n" +
                             std::string(16, ' ') + "1 ,\n\t   " + std::string(9, ' ') + "{\"k\" : " + std::string(24, ' ') + "2}]";
    expect_same(text);
  }
}

// Byte flips, insertions and truncations of a real journal: both parsers
// must agree on each.
TEST(JsonEventReader, AgreesOnMutatedJournals) {
  const std::string journal = json(test::representative_run()).dump(2);
  expect_same(journal);
  std::uint64_t state = 42;
  const auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  const std::string bytes = "{}[],:\"\\0123456789.eE+-tfnu \n\x80\xc3\xff";
  for (int i = 0; i < 400; ++i) {
    std::string text = journal;
    const std::size_t at = next() % text.size();
    switch (next() % 3) {
      case 0: text[at] = bytes[next() % bytes.size()]; break;
      case 1: text.insert(at, 1, bytes[next() % bytes.size()]); break;
      default: text.resize(at); break;
    }
    expect_same(text);
  }
}

}  // namespace
}  // namespace chaosgate
