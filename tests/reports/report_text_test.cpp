#include "report_text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "util/text.h"

namespace chaosgate {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string k_fffd = "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER

bool valid_utf8(const std::string& text) { return !find_invalid_utf8(text).has_value(); }

TEST(ReportTextClean, KeepsValidTextUnchanged) {
  const std::string text = "plain ASCII, \xC3\xA9t\xC3\xA9, \xE2\x82\xAC 5, \xF0\x9F\x98\x80, tab\there\nnext line";
  EXPECT_EQ(clean_text(text), text);
}

TEST(ReportTextClean, ReplacesEachInvalidByteWithReplacementCharacter) {
  EXPECT_EQ(clean_text("a\xFF" "b"), "a" + k_fffd + "b");
  EXPECT_EQ(clean_text("\xFF\xFE"), k_fffd + k_fffd);
  EXPECT_EQ(clean_text("lone continuation \x80!"), "lone continuation " + k_fffd + "!");
}

// Printable ASCII is copied in runs; whatever ends a run is still judged alone.
TEST(ReportTextClean, RunsOfAsciiEndAtEveryCharacterThatIsNotPlain) {
  EXPECT_EQ(clean_text("abc\x7f" "def\x1b[31mred\xC2\x85x\ry\tz\n"), "abcdef[31mredxy\tz\n");
  EXPECT_EQ(clean_text("abc\x7f" "def\tz\n", false), "abcdef z ");
  EXPECT_EQ(clean_text("~\x7f\x20\x1f!\xFF"), "~ !" + k_fffd);
}

TEST(ReportTextClean, ReplacesTruncatedSequenceAtEnd) {
  const std::string out = clean_text("euro \xE2\x82");
  EXPECT_TRUE(valid_utf8(out));
  EXPECT_THAT(out, ::testing::StartsWith("euro "));
  EXPECT_THAT(out, HasSubstr(k_fffd));
  EXPECT_THAT(out, Not(HasSubstr("\xE2\x82")));
}

TEST(ReportTextClean, RejectsOverlongForms) {
  // Overlong encodings of '/' (the classic path-traversal trick) and of NUL.
  for (const std::string overlong : {"\xC0\xAF", "\xE0\x80\xAF", "\xF0\x80\x80\xAF", "\xC0\x80"}) {
    const std::string out = clean_text("x" + overlong + "y");
    EXPECT_TRUE(valid_utf8(out)) << out;
    EXPECT_THAT(out, Not(HasSubstr("/")));
    EXPECT_THAT(out, HasSubstr(k_fffd));
    EXPECT_EQ(out.front(), 'x');
    EXPECT_EQ(out.back(), 'y');
  }
}

TEST(ReportTextClean, RejectsSurrogatesAndCodePointsAboveUnicodeRange) {
  for (const std::string bad : {"\xED\xA0\x80", "\xED\xBF\xBF", "\xF4\x90\x80\x80", "\xF8\x88\x80\x80\x80"}) {
    const std::string out = clean_text(bad);
    EXPECT_TRUE(valid_utf8(out));
    EXPECT_THAT(out, HasSubstr(k_fffd));
    EXPECT_THAT(out, Not(HasSubstr(bad)));
  }
  EXPECT_EQ(clean_text("\xF4\x8F\xBF\xBD"), "\xF4\x8F\xBF\xBD");  // U+10FFFD, the last valid plane-16 character
}

TEST(ReportTextClean, DropsControlCharactersButKeepsTabAndNewline) {
  EXPECT_EQ(clean_text("a\x01" "b\x1b[31mred\x7f" "c"), "ab[31mredc");
  EXPECT_EQ(clean_text(std::string("nul\0byte", 8)), "nulbyte");
  EXPECT_EQ(clean_text("dos\r\nline"), "dos\nline");
  EXPECT_EQ(clean_text("tab\tnew\nline"), "tab\tnew\nline");
  EXPECT_EQ(clean_text("c1 \xC2\x85\xC2\x9B" "end"), "c1 end");                   // NEL, CSI
  EXPECT_EQ(clean_text("non-chars \xEF\xBF\xBE\xEF\xBF\xBF" "end"), "non-chars end");  // U+FFFE, U+FFFF
  EXPECT_EQ(clean_text("nbsp\xC2\xA0" "ok"), "nbsp\xC2\xA0" "ok");                 // U+00A0 is not a control
}

TEST(ReportTextClean, TurnsTabsAndNewlinesIntoSpacesWhenAskedForOneLine) {
  EXPECT_EQ(clean_text("a\tb\nc\r\nd", false), "a b c d");
}

TEST(ReportTextCapped, LeavesShortTextAlone) {
  EXPECT_EQ(clean_text_capped("short text", 100), "short text");
  EXPECT_EQ(clean_text_capped("a\x01" "b", 100), "ab");
}

TEST(ReportTextCapped, CutsLongTextWithMarkerNamingOriginalSize) {
  const std::string text(5000, 'x');
  const std::string out = clean_text_capped(text, 200);
  EXPECT_LE(out.size(), 200u);
  EXPECT_THAT(out, EndsWith("\xE2\x80\xA6 [cut, 5000 bytes in all]"));
  EXPECT_THAT(out, ::testing::StartsWith("xxxxxxxxxx"));
}

TEST(ReportTextCapped, BoundsMegabyteInputAndReportsItsSize) {
  const std::string text(1u << 20, 'y');
  const std::string out = clean_text_capped(text, 1024);
  EXPECT_LE(out.size(), 1024u);
  EXPECT_THAT(out, EndsWith("[cut, 1048576 bytes in all]"));
}

TEST(ReportTextCapped, CutsWithoutMarkerWhenMarkerDoesNotFit) {
  const std::string out = clean_text_capped(std::string(100, 'z'), 10);
  EXPECT_EQ(out, std::string(10, 'z'));
}

TEST(ReportTextCapped, NeverSplitsCodePointsAndStaysWithinBound) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";  // é € 😀
  for (std::size_t max = 0; max <= 120; ++max) {
    const std::string out = clean_text_capped(text, max);
    EXPECT_LE(out.size(), max);
    EXPECT_TRUE(valid_utf8(out)) << "max " << max;
  }
}

TEST(ReportTextCapped, CleansBeforeCapping) {
  const std::string out = clean_text_capped("\x01\xFF" + std::string(300, 'a') + "\x1b", 64, false);
  EXPECT_LE(out.size(), 64u);
  EXPECT_TRUE(valid_utf8(out));
  EXPECT_THAT(out, ::testing::StartsWith(k_fffd + "aaa"));
  EXPECT_THAT(out, Not(HasSubstr("\x01")));
}

TEST(ReportTextCapped, CapsInputMadeMostlyOfDroppedCharacters) {
  const std::string text = std::string(1u << 20, '\x01') + "tail";
  const std::string out = clean_text_capped(text, 100);
  EXPECT_LE(out.size(), 100u);
  EXPECT_TRUE(valid_utf8(out));
  EXPECT_THAT(out, Not(HasSubstr("\x01")));
}

TEST(ReportTextPrefix, ReturnsWholeTextWhenItFits) {
  EXPECT_EQ(utf8_prefix("abc", 3), "abc");
  EXPECT_EQ(utf8_prefix("abc", 10), "abc");
  EXPECT_EQ(utf8_prefix("", 0), "");
}

TEST(ReportTextPrefix, StopsBeforeSplitCodePoint) {
  EXPECT_EQ(utf8_prefix("a\xC3\xA9", 2), "a");
  EXPECT_EQ(utf8_prefix("a\xC3\xA9", 3), "a\xC3\xA9");
  EXPECT_EQ(utf8_prefix("\xF0\x9F\x98\x80", 1), "");
  EXPECT_EQ(utf8_prefix("\xF0\x9F\x98\x80", 3), "");
  EXPECT_EQ(utf8_prefix("\xF0\x9F\x98\x80" "b", 4), "\xF0\x9F\x98\x80");
}

TEST(ReportTextPrefix, IsLongestValidPrefixAtEveryCut) {
  const std::string text = "a\xC3\xA9\xE2\x82\xAC" "b\xF0\x9F\x98\x80" "c";
  std::size_t previous = 0;
  for (std::size_t max = 0; max <= text.size(); ++max) {
    const std::string_view prefix = utf8_prefix(text, max);
    EXPECT_LE(prefix.size(), max);
    EXPECT_GE(prefix.size(), previous);
    EXPECT_EQ(text.substr(0, prefix.size()), prefix);
    EXPECT_TRUE(valid_utf8(std::string(prefix))) << "max " << max;
    // Longest: the byte after the prefix starts a character that does not fit.
    if (prefix.size() < max) {
      EXPECT_NE(static_cast<unsigned char>(text[prefix.size()]) & 0xC0, 0x80);
    }
    previous = prefix.size();
  }
}

}  // namespace
}  // namespace chaosgate
