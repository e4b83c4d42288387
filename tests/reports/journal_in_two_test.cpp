// A large journal is read in two parts at once, split where the writer
// starts an experiment record near its middle (reports/journal_records.h,
// read_journal_document_in_two). The split is a guess: wherever it falls, and
// whatever the text, the reading in two gives what the whole reading gives or
// declines (the journal is then read whole).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "journal_file.h"
#include "journal_records.h"
#include "support/run_fixture.h"
#include "support/temp_dir.h"
#include "util/errors.h"

namespace chaosgate {
namespace {

using nlohmann::json;

std::unique_ptr<std::FILE, int (*)(std::FILE*)> open_file(const std::string& path) {
  return {std::fopen(path.c_str(), "rbe"), &std::fclose};
}

std::string dump(const JournalDocument& document) {
  json whole = document.header;
  whole["experiments"] = document.experiments;
  return whole.dump();
}

// The whole reading: the document, or "refused" (its error is read_journal's to word).
std::string whole_outcome(const std::string& path) {
  const auto file = open_file(path);
  JournalDocument document;
  std::string error;
  try {
    if (!read_journal_document(file.get(), document, error)) return "refused";
  } catch (const std::exception&) {
    return "refused";
  }
  return dump(document);
}

std::string in_two_outcome(const std::string& path, std::size_t at) {
  const auto file = open_file(path);
  JournalDocument document;
  if (!read_journal_document_in_two(file.get(), at, document)) return "declined";
  return dump(document);
}

// Where the writer starts each element of the root's "experiments".
std::set<std::size_t> experiment_starts(const std::string& text) {
  std::set<std::size_t> starts;
  const std::size_t begin = text.find("\"experiments\": [");
  const std::size_t end = text.find("\n  ]", begin);
  for (std::size_t at = text.find("\n    {", begin); at < end; at = text.find("\n    {", at + 1)) starts.insert(at + 5);
  return starts;
}

TEST(JournalInTwo, EverySplitReadsAsTheWholeOrDeclinesAndEveryExperimentStartIsOne) {
  test::TempDir dir;
  const RunResult run = test::representative_run();
  const std::string text = json(run).dump(2);  // what write_journal writes
  const std::string path = dir.write("journal.json", text).string();
  const std::string whole = whole_outcome(path);
  ASSERT_NE(whole, "refused");
  const std::set<std::size_t> starts = experiment_starts(text);
  ASSERT_EQ(starts.size(), run.experiments.size());
  std::set<std::size_t> accepted;
  for (std::size_t at = 0; at <= text.size() + 1; ++at) {
    const std::string outcome = in_two_outcome(path, at);
    if (outcome == "declined") continue;
    EXPECT_EQ(outcome, whole) << "split at " << at;
    accepted.insert(at);
  }
  EXPECT_EQ(accepted, starts);  // the first element's start too: the first part is then the header alone
}

// A journal cut short, or with a byte changed, split at experiments' starts: never another document than the whole reading's, never one where
// the whole reading refuses.
TEST(JournalInTwo, DamagedJournalsReadAsTheWholeReadsThemOrDecline) {
  test::TempDir dir;
  const std::string text = json(test::representative_run()).dump(2);
  const std::set<std::size_t> all_starts = experiment_starts(text);
  // The first, one near the middle (where read_journal splits) and the last.
  const std::vector<std::size_t> starts{*all_starts.begin(), *std::next(all_starts.begin(), all_starts.size() / 2),
                                        *all_starts.rbegin()};
  std::size_t compared = 0, declined = 0;
  const auto check = [&](const std::string& damaged, const std::string& what) {
    const std::string path = dir.write("journal.json", damaged).string();
    const std::string whole = whole_outcome(path);
    for (const std::size_t at : starts) {
      const std::string outcome = in_two_outcome(path, at);
      if (outcome == "declined") {
        ++declined;
        continue;
      }
      EXPECT_EQ(outcome, whole) << what << ", split at " << at;
      ++compared;
    }
  };
  for (std::size_t cut = 0; cut < text.size(); cut += 211) check(text.substr(0, cut), "cut at " + std::to_string(cut));
  for (std::size_t at = 0; at < text.size(); at += 97)
    for (const char replacement : {'"', '}', ']', '1', 'x', ','}) {
      std::string damaged = text;
      damaged[at] = replacement;
      check(damaged, std::string("byte ") + std::to_string(at) + " replaced by " + replacement);
    }
  EXPECT_GT(compared, 500u);  // many damaged texts still read (a changed digit, a changed letter in a text)
  EXPECT_GT(declined, 500u);
}

TEST(JournalInTwo, ALaterExperimentsMemberReplacesBothPartsAsInTheWholeReading) {
  test::TempDir dir;
  std::string text = json(test::representative_run()).dump(2);
  const std::size_t last_brace = text.rfind('}');
  text.insert(last_brace, ",\n  \"experiments\": []\n");
  const std::string path = dir.write("journal.json", text).string();
  const std::string whole = whole_outcome(path);
  ASSERT_NE(whole, "refused");
  ASSERT_EQ(json::parse(whole)["experiments"].size(), 0u);
  for (const std::size_t at : experiment_starts(text)) {
    const std::string outcome = in_two_outcome(path, at);
    if (outcome != "declined") {
      EXPECT_EQ(outcome, whole) << at;
    }
  }
}

// Each part reads the file the caller opened: a journal written over it by
// rename (as write_journal writes) between the caller's open and the parts'
// is not read half of each.
TEST(JournalInTwo, BothPartsReadTheFileOpenedNotWhatIsAtItsPathNow) {
  test::TempDir dir;
  const std::string text = json(test::representative_run()).dump(2);
  const std::string path = dir.write("journal.json", text).string();
  const std::string whole = whole_outcome(path);
  const auto file = open_file(path);
  RunResult other = test::representative_run();
  other.run_id = "another-run";
  for (auto& result : other.experiments) result.experiment.title = "written over";
  std::filesystem::rename(dir.write("new.json", json(other).dump(2)), path);
  const std::size_t middle = *std::next(experiment_starts(text).begin(), 3);
  JournalDocument document;
  ASSERT_TRUE(read_journal_document_in_two(file.get(), middle, document));
  EXPECT_EQ(dump(document), whole);
  EXPECT_EQ(std::ftell(file.get()), 0);  // left where it was, for the whole reading
}

// Through read_journal, which splits journals of 8 MiB and more.
TEST(JournalInTwo, ALargeJournalReadsBackWhatWasWrittenAndAnErrorInItsSecondHalfIsTheWholeReadingsError) {
  test::TempDir dir;
  RunResult run = test::run_with_experiments(4000);
  for (auto& result : run.experiments) result.reason = std::string(2000, 'r');  // ~2.4 KB a record
  const std::string path = dir.str() + "/journal.json";
  write_journal(run, path);
  ASSERT_GE(std::filesystem::file_size(path), 8u << 20);
  EXPECT_EQ(json(read_journal(path)), json(run));

  json broken = json(run);
  broken["experiments"][3500]["durationMs"] = "long";
  dir.write("journal.json", broken.dump(2));
  try {
    (void)read_journal(path);
    FAIL() << "read a journal with a duration that is not a number";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("experiment #3501"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace chaosgate
