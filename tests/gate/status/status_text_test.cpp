#include "status/status_text.h"

#include <gtest/gtest.h>

#include "util/redact.h"
#include "util/text.h"

namespace chaosgate {
namespace {

// Code points in valid UTF-8 `text`.
std::size_t chars(const std::string& text) {
  std::size_t count = 0;
  for (const char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

RunResult decided(const std::string& gate, const std::string& reason) {
  RunResult run;
  run.environment = "staging";
  run.gate = gate;
  run.gate_reason = reason;
  return run;
}

TEST(StatusText, GateMapsToCommitState) {
  EXPECT_EQ(commit_state("passed"), CommitState::success);
  EXPECT_EQ(commit_state("failed"), CommitState::failed);
  EXPECT_EQ(commit_state("inconclusive"), CommitState::failed);  // exit 3 stops the release too
  EXPECT_EQ(commit_state("interrupted"), CommitState::canceled);
  EXPECT_EQ(commit_state(""), CommitState::failed);
  EXPECT_EQ(commit_state("something new"), CommitState::failed);
}

TEST(StatusText, NameCarriesEnvironmentAndShard) {
  EXPECT_EQ(status_name("staging"), "chaosgate/staging");
  EXPECT_EQ(status_name("staging", "2/3"), "chaosgate/staging (shard 2/3)");
  EXPECT_EQ(status_name(""), "chaosgate");
  EXPECT_EQ(status_name("stag\ning"), "chaosgate/stag ing");
}

TEST(StatusText, FinalStatusSaysDecisionAndReason) {
  const auto failed = final_status(decided("failed", "1 regression(s): cart-survives-redis-pause"), "https://ci/job/7");
  EXPECT_EQ(failed.state, CommitState::failed);
  EXPECT_EQ(failed.name, "chaosgate/staging");
  EXPECT_EQ(failed.description, "Gate failed: 1 regression(s): cart-survives-redis-pause");
  EXPECT_EQ(failed.target_url, "https://ci/job/7");

  const auto passed = final_status(decided("passed", "5 experiment(s) held"), "");
  EXPECT_EQ(passed.state, CommitState::success);
  EXPECT_EQ(passed.description, "Gate passed: 5 experiment(s) held");
  EXPECT_EQ(passed.target_url, "");

  const auto inconclusive = final_status(decided("inconclusive", "preflight failed: cart: HTTP 503\nnothing was injected"), "");
  EXPECT_EQ(inconclusive.state, CommitState::failed);
  EXPECT_EQ(inconclusive.description, "Gate inconclusive: preflight failed: cart: HTTP 503 nothing was injected");

  const auto interrupted = final_status(decided("interrupted", "interrupted by SIGTERM; rollbacks ran"), "");
  EXPECT_EQ(interrupted.state, CommitState::canceled);
  EXPECT_EQ(interrupted.description, "Interrupted by SIGTERM; rollbacks ran");
}

TEST(StatusText, FinalStatusOfShardAndUndecidedRun) {
  auto run = decided("", "");
  run.shard = "1/2";
  const auto update = final_status(run, "");
  EXPECT_EQ(update.name, "chaosgate/staging (shard 1/2)");
  EXPECT_EQ(update.state, CommitState::failed);
  EXPECT_EQ(update.description, "Gate undecided");
}

TEST(StatusText, FinalStatusIsRedacted) {
  register_secret("s3cr3t-status-token");
  const auto update = final_status(decided("inconclusive", "preflight failed: https://u:pw@host/x?token=s3cr3t-status-token"), "");
  EXPECT_EQ(update.description.find("s3cr3t-status-token"), std::string::npos) << update.description;
  EXPECT_EQ(update.description.find(":pw@"), std::string::npos) << update.description;
}

TEST(StatusText, RunningStatus) {
  const auto update = running_status("staging", "", "shop", 4, "https://ci/job/7");
  EXPECT_EQ(update.state, CommitState::running);
  EXPECT_EQ(update.name, "chaosgate/staging");
  EXPECT_EQ(update.description, "Running 4 experiment(s) of shop");
  EXPECT_EQ(update.target_url, "https://ci/job/7");
}

TEST(StatusText, OneLineCleansControlsAndInvalidBytes) {
  EXPECT_EQ(one_line("  a\n\tb \x1b[31mred\r\n", 100), "a b [31mred");
  EXPECT_EQ(one_line("bad \xff byte", 100), "bad \xEF\xBF\xBD byte");
  EXPECT_EQ(one_line("cut \xE2\x82", 100), "cut \xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(one_line("", 10), "");
  EXPECT_EQ(one_line("abc", 0), "");
}

TEST(StatusText, OneLineShortensOnCodePointsWithEllipsis) {
  EXPECT_EQ(one_line("abcdef", 6), "abcdef");
  EXPECT_EQ(one_line("abcdefg", 6), "abcde\xE2\x80\xA6");
  EXPECT_EQ(one_line("abcd efg", 6), "abcd\xE2\x80\xA6");  // no space before the ellipsis

  std::string emoji;
  for (int i = 0; i < 200; ++i) emoji += "\xF0\x9F\x94\xA5";  // U+1F525, 4 bytes
  const auto cut = one_line(emoji, 140);
  EXPECT_EQ(chars(cut), 140u);
  EXPECT_EQ(cut.size(), 139u * 4 + 3);
  EXPECT_FALSE(find_invalid_utf8(cut).has_value());
}

TEST(StatusText, Utf8PrefixNeverSplitsASequence) {
  EXPECT_EQ(utf8_prefix_chars("h\xC3\xA9llo", 2), "h\xC3\xA9");
  EXPECT_EQ(utf8_prefix_chars("h\xC3\xA9llo", 99), "h\xC3\xA9llo");
  EXPECT_EQ(utf8_prefix_chars("\xE2\x82", 5), "");  // a cut sequence is left out, not half-copied
}

}  // namespace
}  // namespace chaosgate
