#include "journal_merge.h"

#include <gtest/gtest.h>

#include "util/errors.h"

namespace chaosgate {
namespace {

using std::chrono::seconds;

RunResult shard_run(const std::string& shard, std::vector<std::string> ids, int start_offset_s = 0) {
  RunResult run;
  run.suite_name = "shop";
  run.suite_digest = "sha256:abc";
  run.environment = "staging";
  run.shard = shard;
  run.started = TimePoint(seconds(1'000'000 + start_offset_s));
  run.finished = run.started + seconds(10);
  for (const auto& id : ids) {
    ExperimentResult result;
    result.experiment.id = id;
    result.verdict = Verdict::passed;
    run.experiments.push_back(result);
  }
  return run;
}

std::string message_of(const std::vector<ShardJournal>& shards) {
  try {
    merge_journals(shards);
  } catch (const UserError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(JournalMerge, JoinsShardsInShardOrderSpanningTheirTimes) {
  const RunResult merged = merge_journals({{"b", shard_run("2/2", {"c", "d"}, 5)}, {"a", shard_run("1/2", {"a", "b"}, 0)}});
  ASSERT_EQ(merged.experiments.size(), 4u);
  EXPECT_EQ(merged.experiments[0].experiment.id, "a");
  EXPECT_EQ(merged.experiments[3].experiment.id, "d");
  EXPECT_EQ(merged.started, TimePoint(seconds(1'000'000)));
  EXPECT_EQ(merged.finished, TimePoint(seconds(1'000'015)));
  EXPECT_TRUE(merged.shard.empty());
}

TEST(JournalMerge, PrefixesPreflightProblemsWithTheirShard) {
  RunResult second = shard_run("2/2", {});
  second.preflight_problems = {"http://127.0.0.1:1 is unreachable"};
  const RunResult merged = merge_journals({{"a", shard_run("1/2", {"a"})}, {"b", second}});
  ASSERT_EQ(merged.preflight_problems.size(), 1u);
  EXPECT_EQ(merged.preflight_problems[0], "shard 2/2: http://127.0.0.1:1 is unreachable");
}

TEST(JournalMerge, RefusesDifferentSuiteDigests) {
  RunResult other = shard_run("2/2", {"b"});
  other.suite_digest = "sha256:def";
  EXPECT_EQ(message_of({{"one/", shard_run("1/2", {"a"})}, {"two/", other}}),
            "cannot merge: two/ has suite digest \"sha256:def\", one/ has \"sha256:abc\" "
            "(shards of one run share the suite and the environment)");
}

TEST(JournalMerge, RefusesDifferentEnvironments) {
  RunResult other = shard_run("2/2", {"b"});
  other.environment = "production";
  EXPECT_NE(message_of({{"one/", shard_run("1/2", {"a"})}, {"two/", other}}).find("environment \"production\""),
            std::string::npos);
}

TEST(JournalMerge, NamesAnExperimentFoundInTwoJournals) {
  EXPECT_EQ(message_of({{"one/", shard_run("1/2", {"a", "x"})}, {"two/", shard_run("2/2", {"x"})}}),
            "cannot merge: experiment \"x\" is in both one/ and two/");
}

TEST(JournalMerge, NamesAMissingOrRepeatedShard) {
  EXPECT_EQ(message_of({{"one/", shard_run("1/3", {"a"})}, {"three/", shard_run("3/3", {"c"})}}),
            "cannot merge: shard(s) 2/3 missing; a partial merge would pass experiments that never ran");
  EXPECT_EQ(message_of({{"one/", shard_run("1/2", {"a"})}, {"again/", shard_run("1/2", {"b"})}}),
            "cannot merge: shard 1/2 given twice: one/ and again/");
  EXPECT_NE(message_of({{"one/", shard_run("1/2", {"a"})}, {"x/", shard_run("2/3", {"b"})}}).find("others are of 2"),
            std::string::npos);
}

TEST(JournalMerge, UnshardedJournalsMergeWhenDisjoint) {
  EXPECT_EQ(merge_journals({{"a", shard_run("", {"a"})}, {"b", shard_run("", {"b"})}}).experiments.size(), 2u);
  EXPECT_EQ(message_of({}), "merge: no journals given");
}

}  // namespace
}  // namespace chaosgate
