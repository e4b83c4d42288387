// The journal's experiments are decoded from the parser's events without a
// JSON object each (reports/journal_records.cpp). Every journal must read as
// the DOM path (json::parse + from_json) reads it: the same run, or the same
// error for the same experiment.
#include "journal_records.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "journal_file.h"
#include "support/run_fixture.h"
#include "support/temp_dir.h"
#include "util/errors.h"

namespace chaosgate {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

// What read_journal gives for `text`: the run as JSON, or its error.
std::string read_outcome(const test::TempDir& dir, const std::string& text) {
  const std::string path = dir.write("journal.json", text).string();
  try {
    return json(read_journal(path)).dump();
  } catch (const UserError& e) {
    return std::string("error: ") + e.what();
  }
}

// What the DOM path gives for a journal that parses: the run, or the first
// failing experiment's error as read_journal words it.
std::string dom_outcome(const test::TempDir& dir, const json& document) {
  const std::string path = dir.str() + "/journal.json";
  const json& experiments = document.at("experiments");
  for (std::size_t i = 0; i < experiments.size(); ++i) {
    try {
      (void)experiments[i].get<ExperimentResult>();
    } catch (const std::exception& e) {
      return "error: " + path + ": malformed journal: experiment #" + std::to_string(i + 1) + ": " + e.what();
    }
  }
  try {
    return json(document.get<RunResult>()).dump();
  } catch (const json::exception& e) {
    return "error: " + path + ": malformed journal: " + e.what();
  } catch (const std::exception& e) {
    return "error: " + path + ": " + e.what();
  }
}

// Values of every JSON type, to put where a member is expected.
std::vector<json> replacements() {
  return {nullptr, 7, -3, 1.5, "x", "2026-11-25T07:12:03.123Z", true, json::array(), json::object(),
          json::array({"a", 1}), json::object({{"title", "t"}}), json::array({json::object()})};
}

// Each record of the fixture's second and third experiments (failed, flaky:
// every record type with every member present), by JSON pointer.
std::vector<json::json_pointer> records() {
  std::vector<json::json_pointer> out;
  for (const char* experiment : {"/experiments/1", "/experiments/2"}) {
    const std::string e = experiment;
    for (const std::string suffix : {"", "/experiment", "/experiment/risk", "/experiment/location", "/attempts/0",
                                     "/attempts/1", "/attempts/0/probes/1", "/attempts/0/probes/0", "/attempts/0/actions/1"})
      out.emplace_back(e + suffix);
  }
  return out;
}

TEST(JournalRecords, EveryMemberReplacedOrRemovedReadsAsFromJsonReadsIt) {
  test::TempDir dir;
  const json run = json(test::representative_run());
  std::size_t variants = 0, refused = 0;
  for (const auto& pointer : records()) {
    if (!run.contains(pointer)) continue;
    for (const auto& [member, value] : run.at(pointer).items()) {
      std::vector<json> changed;
      json erased = run;
      erased.at(pointer).erase(member);
      changed.push_back(erased);
      for (const json& replacement : replacements()) {
        json document = run;
        document.at(pointer)[member] = replacement;
        changed.push_back(document);
      }
      for (const json& document : changed) {
        const std::string expected = dom_outcome(dir, document);
        EXPECT_EQ(read_outcome(dir, document.dump(2)), expected) << pointer.to_string() << "/" << member;
        ++variants;
        refused += expected.rfind("error: ", 0) == 0 ? 1 : 0;
      }
    }
  }
  // The loop saw real records and both outcomes.
  EXPECT_GT(variants, 1000u);
  EXPECT_GT(refused, 300u);
  EXPECT_LT(refused, variants);
}

TEST(JournalRecords, ARecordOfAnotherTypeReadsAsFromJsonReadsIt) {
  test::TempDir dir;
  const json run = json(test::representative_run());
  for (const auto& pointer : records()) {
    if (pointer.to_string() == "/experiments/1" || pointer.to_string() == "/experiments/2" || !run.contains(pointer)) continue;
    for (const json& replacement : replacements()) {
      json document = run;
      document.at(pointer) = replacement;
      EXPECT_EQ(read_outcome(dir, document.dump()), dom_outcome(dir, document)) << pointer.to_string() << " = " << replacement;
    }
  }
}

// from_json gives no position for an experiment that is not an object; the
// reader names it like any other.
TEST(JournalRecords, AnExperimentThatIsNotAnObjectIsNamedByPosition) {
  test::TempDir dir;
  for (const json& replacement : {json(7), json("x"), json(nullptr), json::array({1})}) {
    json document = json(test::representative_run());
    document["experiments"][1] = replacement;
    const std::string outcome = read_outcome(dir, document.dump());
    EXPECT_THAT(outcome, HasSubstr("malformed journal: experiment #2: [json.exception.type_error.304] cannot use at() with"));
  }
}

// A later member of the same name replaces an earlier one, whatever it holds.
TEST(JournalRecords, RepeatedMembersKeepTheLastOne) {
  test::TempDir dir;
  const json run = json(test::representative_run());
  const std::string text = run.dump();
  const json& failed = run["experiments"][1];
  const std::vector<std::pair<std::string, std::string>> insertions = {
      // before the experiment's members, an earlier member of the same name
      {"\"attempts\":" + failed["attempts"].dump(), "\"attempts\":[]"},
      {"\"attempts\":[]", "\"attempts\":" + failed["attempts"].dump()},
      {"\"experiment\":{}", "\"experiment\":" + failed["experiment"].dump()},
      {"\"experiment\":" + failed["experiment"].dump(), "\"experiment\":7"},
      {"\"attempts\":[7]", "\"attempts\":null"},
      {"\"verdict\":[]", "\"verdict\":\"failed\""},
  };
  for (const auto& [earlier, later] : insertions) {
    // The experiment's members as written, with `earlier` first and `later` last.
    std::string experiment = failed.dump();
    experiment.insert(1, earlier + ",");
    experiment.insert(experiment.size() - 1, "," + later);
    std::string document = text;
    const std::string whole = failed.dump();
    document.replace(document.find(whole), whole.size(), experiment);
    EXPECT_EQ(read_outcome(dir, document), dom_outcome(dir, json::parse(document))) << earlier << " ... " << later;
  }
  // And the experiments array itself.
  std::string document = text;
  document.insert(1, "\"experiments\":[7],");
  EXPECT_EQ(read_outcome(dir, document), dom_outcome(dir, json::parse(document)));
}

// Cut anywhere, or with a byte changed anywhere, a journal reads as the DOM
// path reads it, or is refused with the file's name: never a crash.
TEST(JournalRecords, DamagedJournalsReadAsTheDomReadsThemOrAreRefused) {
  test::TempDir dir;
  const std::string path = dir.str() + "/journal.json";
  const std::string text = json(test::representative_run()).dump(1);
  std::size_t refused = 0, compared = 0;
  for (std::size_t cut = 0; cut < text.size(); cut += 37) {
    const std::string outcome = read_outcome(dir, text.substr(0, cut));
    EXPECT_THAT(outcome, HasSubstr("error: " + path + ": ")) << cut;
    refused += 1;
  }
  for (std::size_t at = 0; at < text.size(); at += 11) {
    for (const char replacement : {'"', '}', ']', '1', 'x', ','}) {
      std::string damaged = text;
      damaged[at] = replacement;
      const std::string outcome = read_outcome(dir, damaged);
      const json parsed = json::parse(damaged, nullptr, false);
      if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("experiments") || !parsed["experiments"].is_array()) {
        EXPECT_THAT(outcome, HasSubstr("error: " + path + ": ")) << at << " " << replacement;
      } else {
        EXPECT_EQ(outcome, dom_outcome(dir, parsed)) << at << " " << replacement;
        ++compared;
      }
    }
  }
  EXPECT_GT(refused, 100u);
  EXPECT_GT(compared, 1000u);
}

// What read_experiment_record gives for `record`: the result as JSON, or its error.
std::string record_outcome(const std::string& record, bool with_attempts) {
  ExperimentResult result;
  std::string error;
  if (!read_experiment_record(record, result, error, with_attempts)) return "error: " + error;
  return json(result).dump();
}

// What from_json gives for `record` (its attempts removed first when they are not wanted).
std::string from_json_outcome(json record, bool with_attempts) {
  if (!with_attempts && record.is_object()) record.erase("attempts");
  try {
    return json(record.get<ExperimentResult>()).dump();
  } catch (const std::exception& e) {
    return std::string("error: ") + e.what();
  }
}

// A record read on its own (the journal spool's read-back) decodes as
// from_json decodes it, with every member of every record removed or
// replaced; without its attempts, as from_json decodes it without them,
// whatever they held.
TEST(JournalRecords, ARecordReadAloneReadsAsFromJsonReadsIt) {
  const json run = json(test::representative_run());
  std::vector<json> variants(run["experiments"].begin(), run["experiments"].end());
  for (const auto& pointer : records()) {
    if (!run.contains(pointer)) continue;
    const std::string path = pointer.to_string();
    const std::size_t slash = path.find('/', std::string("/experiments/").size());
    const json::json_pointer experiment(path.substr(0, slash));
    const json::json_pointer inside(slash == std::string::npos ? "" : path.substr(slash));
    for (const auto& [member, value] : run.at(pointer).items()) {
      json erased = run.at(experiment);
      erased.at(inside).erase(member);
      variants.push_back(erased);
      for (const json& replacement : replacements()) {
        json changed = run.at(experiment);
        changed.at(inside)[member] = replacement;
        variants.push_back(changed);
      }
    }
  }
  std::size_t refused = 0, attempts_skipped = 0;
  for (const json& record : variants) {
    const std::string text = record.dump();
    const std::string whole = from_json_outcome(record, true);
    EXPECT_EQ(record_outcome(text, true), whole) << text;
    const std::string without = from_json_outcome(record, false);
    EXPECT_EQ(record_outcome(text, false), without) << text;
    refused += whole.rfind("error: ", 0) == 0 ? 1 : 0;
    attempts_skipped += whole != without && without.rfind("error: ", 0) != 0 ? 1 : 0;
  }
  // The loop saw real records, both outcomes, and attempts that mattered.
  EXPECT_GT(variants.size(), 1000u);
  EXPECT_GT(refused, 300u);
  EXPECT_GT(attempts_skipped, 300u);
}

TEST(JournalRecords, ARecordThatIsNotAnObjectOrNotJsonIsRefused) {
  for (const std::string text : {"7", "\"x\"", "null", "[1]", "[]"})
    EXPECT_THAT(record_outcome(text, false), HasSubstr("[json.exception.type_error.304] cannot use at() with")) << text;
  const std::string record = json(test::representative_run())["experiments"][1].dump();
  EXPECT_THAT(record_outcome(record.substr(0, record.size() / 2), true), HasSubstr("error: invalid JSON at byte "));
  EXPECT_THAT(record_outcome(record + " x", false), HasSubstr("error: invalid JSON at byte " + std::to_string(record.size() + 2)));
  ExperimentResult untouched;
  untouched.reason = "as it was";
  std::string error;
  EXPECT_FALSE(read_experiment_record("{\"verdict\":7}", untouched, error));
  EXPECT_EQ(untouched.reason, "as it was");
  EXPECT_FALSE(error.empty());
}

}  // namespace
}  // namespace chaosgate
