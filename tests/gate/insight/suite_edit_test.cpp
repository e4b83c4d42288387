#include "insight/suite_edit.h"

#include <gtest/gtest.h>

#include "util/errors.h"

namespace chaosgate::insight {

namespace {

SourceLocation at(int line, int column) { return {"suite.yaml", line, column}; }

}  // namespace

TEST(SuiteEdit, ReplacesOnlyTheValueKeepingCommentsQuotesAndLineEndings) {
  const std::string text =
      "# keep me\r\n"
      "  - id: a   # candidate in a comment stays\r\n"
      "    status: candidate   # trailing comment\r\n"
      "    other: {status: 'candidate', x: 1}\r\n";
  const std::string edited = apply_scalar_edits(
      text, {{at(3, 13), "candidate", "promoted"}, {at(4, 22), "candidate", "promoted"}});
  EXPECT_EQ(edited,
            "# keep me\r\n"
            "  - id: a   # candidate in a comment stays\r\n"
            "    status: promoted   # trailing comment\r\n"
            "    other: {status: 'promoted', x: 1}\r\n");
}

TEST(SuiteEdit, FindsTheOnlyWholeWordWhenTheColumnIsOff) {
  EXPECT_EQ(apply_scalar_edits("status: candidate\n", {{at(1, 1), "candidate", "promoted"}}), "status: promoted\n");
  // "candidates" is not the value: no whole-word match, so no edit at all.
  EXPECT_THROW(apply_scalar_edits("status: candidates\n", {{at(1, 9), "candidate", "promoted"}}), UserError);
}

TEST(SuiteEdit, RefusesAnAmbiguousOrMovedValueInsteadOfGuessing) {
  // Two whole-word matches and the column points at neither.
  EXPECT_THROW(apply_scalar_edits("{a: candidate, b: candidate}\n", {{at(1, 1), "candidate", "promoted"}}), UserError);
  // The file changed since it was loaded: the line is gone.
  try {
    apply_scalar_edits("one line\n", {{at(7, 3), "candidate", "promoted"}});
    FAIL() << "expected a UserError";
  } catch (const UserError& e) {
    EXPECT_STREQ(e.what(), "suite.yaml:7:3: no such line; the file changed since it was loaded");
  }
}

TEST(SuiteEdit, UnifiedDiffGroupsNearbyChangesIntoHunks) {
  std::string before, after;
  for (int i = 1; i <= 20; ++i) {
    before += "line " + std::to_string(i) + "\n";
    after += (i == 2 || i == 5 || i == 18 ? "LINE " : "line ") + std::to_string(i) + "\n";
  }
  EXPECT_EQ(unified_diff_same_lines("s.yaml", before, after),
            "--- s.yaml\n+++ s.yaml\n"
            "@@ -1,8 +1,8 @@\n line 1\n-line 2\n+LINE 2\n line 3\n line 4\n-line 5\n+LINE 5\n line 6\n line 7\n line 8\n"
            "@@ -15,6 +15,6 @@\n line 15\n line 16\n line 17\n-line 18\n+LINE 18\n line 19\n line 20\n");
  EXPECT_EQ(unified_diff_same_lines("s.yaml", before, before), "");
}

}  // namespace chaosgate::insight
