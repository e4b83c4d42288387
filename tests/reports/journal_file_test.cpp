#include "journal_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <random>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "util/atomic_file.h"
#include "support/run_fixture.h"
#include "support/temp_dir.h"
#include "support/text_difference.h"
#include "util/errors.h"

namespace chaosgate {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::string> file_names(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) out.push_back(entry.path().filename().string());
  return out;
}

// The UserError message read_journal throws for `path`, or "" when it does not throw one.
std::string read_error(const std::string& path) {
  try {
    read_journal(path);
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

TEST(JournalRoundTrip, ReadGivesBackWhatWasWritten) {
  test::TempDir dir;
  const RunResult run = test::representative_run();
  const std::string path = dir.str() + "/journal.json";
  write_journal(run, path);
  const RunResult back = read_journal(path);
  EXPECT_EQ(json(back), json(run));
  // Spot checks that the comparison saw the interesting parts.
  ASSERT_EQ(back.experiments.size(), 6u);
  EXPECT_EQ(back.experiments[2].attempts.size(), 2u);
  EXPECT_EQ(back.experiments[1].attempts[0].probes[1].samples.size(), 4u);
  EXPECT_TRUE(back.experiments[1].attempts[0].actions[1].rollback);
  EXPECT_EQ(back.experiments[1].experiment.location.file, "suites/my suite.yaml");
  EXPECT_EQ(back.ci.values.at("pipeline_url"), run.ci.values.at("pipeline_url"));
  EXPECT_EQ(back.started, run.started);
}

TEST(JournalRoundTrip, WritesSchemaVersionOne) {
  test::TempDir dir;
  const std::string path = dir.str() + "/journal.json";
  write_journal(test::representative_run(), path);
  EXPECT_EQ(json::parse(read_file(path)).at("schema_version"), 1);
}

TEST(JournalRoundTrip, HostileTextIsReadableAfterWriting) {
  test::TempDir dir;
  const std::string path = dir.str() + "/journal.json";
  write_journal(test::hostile_run(), path);  // invalid UTF-8 becomes U+FFFD on the way out
  const RunResult back = read_journal(path);
  ASSERT_EQ(back.experiments.size(), 6u);
  EXPECT_GE(back.experiments[1].observed.size(), 1u << 20);  // nothing was cut
  EXPECT_THAT(back.experiments[1].experiment.title, HasSubstr("<script>"));
}

// The journal is written one experiment at a time; the text must be exactly
// the whole document's dump, or `report` and `merge` outputs would drift.
TEST(JournalWrite, StreamedTextIsTheWholeDocumentsDump) {
  test::TempDir dir;
  RunResult empty = test::representative_run();
  empty.experiments.clear();
  // The categories' ids are written from the run, not dumped with the header:
  // several categories, one a blind spot, ids that need escaping or replacing.
  RunResult covered = test::representative_run();
  covered.incident_coverage = {{"overload", "Overload \"peak\"", {"INC-1", "INC-2"}, {"a", "b\"c", "d\n\xff"}},
                               {"blind", "", {}, {}},
                               {"experiments", "experiments", {}, {"experiments"}}};
  RunResult covered_hostile = test::hostile_run();
  covered_hostile.incident_coverage = covered.incident_coverage;
  for (const RunResult& run : {test::representative_run(), test::hostile_run(), empty, covered, covered_hostile}) {
    const auto path = dir.path() / "journal.json";
    write_journal(run, path.string());
    EXPECT_EQ(test::first_text_difference(read_file(path), json(run).dump(2, ' ', false, json::error_handler_t::replace) + "\n"), "");
  }
}

// Each record is written as text member by member (journal_text), not built
// as a DOM: random records, every enum value, awkward numbers and texts.
TEST(JournalWrite, RecordsWrittenAsTextAreTheirDomsDump) {
  std::mt19937 random(3);
  const std::vector<std::string> texts = {"", "plain", "quote \" and \\ slash", "tab\tnew\nline\x01\x1f", "ünïcödé ✓ 🚀",
                                          std::string("bad \xff\xfe utf-8"), std::string("nul\0inside", 10), "</testcase>&amp;"};
  const std::vector<double> reals = {0.0, -0.0, 1.0, -3.0, 0.1, 2.5e-7, 1e300, -1e-300, 123456789.125, 42.0,
                                     std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                                     -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::denorm_min()};
  auto text = [&] { return texts[random() % texts.size()]; };
  auto real = [&] { return random() % 3 == 0 ? std::ldexp(static_cast<double>(random()), static_cast<int>(random() % 80) - 40) : reals[random() % reals.size()]; };
  auto texts_of = [&] {
    std::vector<std::string> out(random() % 3);
    for (auto& t : out) t = text();
    return out;
  };
  auto when = [&] { return TimePoint(std::chrono::milliseconds(1700000000000LL + static_cast<long long>(random() % 100000000))); };
  RunResult run = test::representative_run();
  run.experiments.clear();
  for (int i = 0; i < 60; ++i) {
    ExperimentResult r;
    ExperimentInfo& e = r.experiment;
    e.id = text(), e.title = text(), e.owner = text(), e.service = text(), e.hypothesis = text();
    e.incident_category = text(), e.incident_category_title = text(), e.definition_digest = text();
    e.targets = texts_of(), e.incidents = texts_of(), e.tags = texts_of();
    for (std::size_t k = random() % 3; k > 0; --k) e.follow_up.emplace_back(text(), text());
    e.attack_group = static_cast<AttackGroup>(random() % 5);
    e.preparation_cost = static_cast<PreparationCost>(random() % 3);
    e.status = static_cast<LifecycleStatus>(random() % 4);
    e.risk_level = static_cast<RiskLevel>(random() % 4);
    e.likelihood = static_cast<int>(random() % 5) + 1, e.impact = static_cast<int>(random() % 5) + 1;
    e.location = {FileName(text()), static_cast<int>(random() % 1000), static_cast<int>(random() % 80)};
    r.verdict = static_cast<Verdict>(random() % 6);
    r.reason = text(), r.deviated_probe = text(), r.expected = text(), r.observed = text(), r.fingerprint = text();
    r.started = when();
    r.duration = std::chrono::milliseconds(random() % 100000);
    for (std::size_t a = random() % 3; a > 0; --a) {
      Attempt attempt;
      attempt.number = static_cast<int>(random() % 4) + 1;
      attempt.verdict = static_cast<Verdict>(random() % 6);
      attempt.reason = text(), attempt.started = when(), attempt.duration = std::chrono::milliseconds(random() % 5000);
      for (std::size_t p = random() % 4; p > 0; --p) {
        ProbeResult probe;
        probe.probe = text(), probe.phase = static_cast<Phase>(random() % 4), probe.ok = random() % 2;
        probe.expected = text(), probe.observed = text(), probe.started = when();
        probe.duration = std::chrono::milliseconds(random() % 5000);
        for (std::size_t k = random() % 5; k > 0; --k)
          probe.samples.push_back({when(), random() % 2 == 0, random() % 2 == 0, real(), real(), text()});
        attempt.probes.push_back(probe);
      }
      for (std::size_t k = random() % 3; k > 0; --k)
        attempt.actions.push_back({text(), random() % 2 == 0, random() % 2 == 0, text(), when(), std::chrono::milliseconds(random() % 900)});
      r.attempts.push_back(attempt);
    }
    run.experiments.push_back(r);
  }
  test::TempDir dir;
  const auto path = dir.path() / "journal.json";
  write_journal(run, path.string());
  EXPECT_EQ(test::first_text_difference(read_file(path), json(run).dump(2, ' ', false, json::error_handler_t::replace) + "\n"), "");
}

TEST(JournalRead, ExperimentsKeepTheirOrderAndEveryField) {
  test::TempDir dir;
  const RunResult run = test::run_with_experiments(300);
  const auto path = dir.path() / "journal.json";
  write_journal(run, path.string());
  EXPECT_EQ(json(read_journal(path.string())), json(run));
}

TEST(JournalRead, BadExperimentIsNamedByPosition) {
  test::TempDir dir;
  json document = json(test::representative_run());
  document["experiments"][1].erase("verdict");
  const auto path = dir.write("journal.json", document.dump());
  EXPECT_THAT(read_error(path.string()), HasSubstr("experiment #2"));
}

// Samples are read without a DOM (reports/journal_samples): each variant must be
// read, or refused with the message, exactly as from_json(ProbeSample) does.
TEST(JournalRead, SamplesAreCheckedAsFromJsonChecksThem) {
  const json good = json(test::representative_run())["experiments"][1]["attempts"][0]["probes"][1]["samples"][0];
  const auto with = [&](const char* key, json value) {
    json sample = good;
    sample[key] = std::move(value);
    return sample;
  };
  const auto without = [&](const char* key) {
    json sample = good;
    sample.erase(key);
    return sample;
  };
  const std::vector<json> variants = {
      good, without("at"), without("ok"), without("observed"), without("reached"),
      with("at", 7), with("at", nullptr), with("at", "yesterday"), with("ok", "true"), with("ok", nullptr),
      with("ok", json::array({1, 2})), with("value", "7"), with("value", true), with("value", nullptr),
      with("latencyMs", json::object({{"a", 1}})), with("observed", 42), with("observed", nullptr),
      with("reached", 1), with("extra", json::object({{"at", 1}, {"ok", json::array({"x"})}})),
      json::array({good}), json(nullptr), json("sample"), json::object()};
  test::TempDir dir;
  for (const json& variant : variants) {
    json document = json(test::representative_run());
    document["experiments"][1]["attempts"][0]["probes"][1]["samples"][2] = variant;
    const auto path = dir.write("journal.json", document.dump(2)).string();
    std::string expected_error;
    ProbeSample expected;
    try {
      expected = variant.get<ProbeSample>();
    } catch (const std::exception& e) {
      expected_error = e.what();
    }
    if (expected_error.empty()) {
      const RunResult back = read_journal(path);
      EXPECT_EQ(json(back.experiments[1].attempts[0].probes[1].samples[2]), json(expected)) << variant;
      EXPECT_EQ(back.experiments[1].attempts[0].probes[1].samples.size(), 4u);
    } else {
      EXPECT_EQ(read_error(path), path + ": malformed journal: experiment #2: " + expected_error) << variant;
    }
  }
}

// An integer field written with an exponent (8.9e29) was converted by a plain
// cast, undefined beyond the type's range (found by the journal fuzzer): it is
// refused, naming the value; one that fits still reads as before.
TEST(JournalRead, IntegersOutOfRangeAreRefusedNotCast) {
  test::TempDir dir;
  const auto error_with = [&](const std::function<void(json&)>& change) {
    json document = json(test::representative_run());
    change(document);
    return read_error(dir.write("journal.json", document.dump(2)).string());
  };
  EXPECT_THAT(error_with([](json& d) { d["experiments"][1]["attempts"][0]["number"] = 8.9e29; }),
              HasSubstr("experiment #2: [json.exception.out_of_range.406] number 8.9e+29 does not fit an integer field"));
  EXPECT_THAT(error_with([](json& d) { d["experiments"][1]["attempts"][0]["probes"][0]["durationMs"] = 1e300; }),
              HasSubstr("number 1e+300 does not fit"));
  EXPECT_THAT(error_with([](json& d) { d["experiments"][0]["durationMs"] = -9.3e18; }), HasSubstr("number -9.3e+18 does not fit"));
  EXPECT_THAT(error_with([](json& d) { d["experiments"][0]["experiment"]["risk"]["likelihood"] = -1e20; }),
              HasSubstr("number -1e+20 does not fit"));
  EXPECT_THAT(error_with([](json& d) { d["experiments"][0]["experiment"]["location"]["line"] = 2147483648.0; }),
              HasSubstr("number 2147483648.0 does not fit"));
  EXPECT_THAT(error_with([](json& d) { d["gate"]["exitCode"] = 1e19; }), HasSubstr("number 1e+19 does not fit"));
  EXPECT_THAT(error_with([](json& d) { d["schema_version"] = 1e40; }), HasSubstr("number 1e+40 does not fit"));

  json fits = json(test::representative_run());
  fits["experiments"][1]["attempts"][0]["number"] = 2.0;
  fits["experiments"][0]["experiment"]["location"]["line"] = 2147483647.0;
  const RunResult back = read_journal(dir.write("journal.json", fits.dump(2)).string());
  EXPECT_EQ(back.experiments[1].attempts[0].number, 2);
  EXPECT_EQ(back.experiments[0].experiment.location.line, 2147483647);
}

// A later member of the same name replaces an earlier one, samples included.
TEST(JournalRead, RepeatedSamplesMemberKeepsTheLastOne) {
  test::TempDir dir;
  json document = json(test::representative_run());
  json& probe = document["experiments"][1]["attempts"][0]["probes"][1];
  const json first = probe["samples"];
  probe.erase("samples");
  std::string text = document.dump();
  const std::string name = "\"probe\":" + probe["probe"].dump();
  const std::size_t at = text.find(name);
  ASSERT_NE(at, std::string::npos);
  text.insert(at, "\"samples\":" + first.dump() + ",\"samples\":null,");
  const auto path = dir.write("journal.json", text).string();
  EXPECT_TRUE(read_journal(path).experiments[1].attempts[0].probes[1].samples.empty());
  text.replace(text.find("\"samples\":null"), 14, "\"samples\":" + json::array({first[1]}).dump());
  dir.write("journal.json", text);
  const RunResult back = read_journal(path);
  ASSERT_EQ(back.experiments[1].attempts[0].probes[1].samples.size(), 1u);
  EXPECT_EQ(json(back.experiments[1].attempts[0].probes[1].samples[0]), first[1]);
}

TEST(JournalRead, TruncatedFileIsUserErrorWithPosition) {
  test::TempDir dir;
  const std::string text = json(test::representative_run()).dump(2);
  const auto path = dir.write("journal.json", text.substr(0, text.size() / 2));
  EXPECT_THAT(read_error(path.string()), HasSubstr("invalid JSON at byte"));
}

TEST(JournalTime, FormatAndParseAreInverse) {
  for (const std::string text : {"1970-01-01T00:00:00.000Z", "2026-11-25T07:12:03.123Z", "2024-02-29T23:59:59.999Z",
                                 "2100-12-31T12:00:00.001Z"})
    EXPECT_EQ(format_time(parse_time(text)), text);
  const TimePoint now = std::chrono::floor<std::chrono::milliseconds>(Clock::now());
  EXPECT_EQ(parse_time(format_time(now)), now);
}

TEST(JournalTime, ParseRefusesAnythingButTheJournalShape) {
  for (const std::string text : {"", "2026-11-25", "2026-11-25T07:12:03Z", "2026-11-25T07:12:03.123", "2026-13-01T00:00:00.000Z",
                                 "2026-02-30T00:00:00.000Z", "2026-11-25T24:00:00.000Z", "2026-11-25 07:12:03.123Z",
                                 "2026-11-25T07:12:03.12aZ", "+026-11-25T07:12:03.123Z"})
    EXPECT_THROW(parse_time(text), std::invalid_argument) << text;
}

// Found by journal_reader_fuzz: years a nanosecond TimePoint cannot hold
// overflowed the conversion (undefined behaviour) instead of being refused.
TEST(JournalTime, ParseRefusesYearsATimePointCannotHold) {
  for (const std::string text : {"9999-12-31T23:59:59.999Z", "2262-04-12T00:00:00.000Z", "0000-01-01T00:00:00.000Z",
                                 "1677-09-21T00:00:00.000Z"})
    EXPECT_THROW(parse_time(text), std::invalid_argument) << text;
  for (const std::string text : {"2261-12-31T23:59:59.999Z", "1678-01-01T00:00:00.000Z"})
    EXPECT_EQ(format_time(parse_time(text)), text);
}

// Two times parse_time accepts can be 583 years apart: more than TimePoint's
// 64-bit nanoseconds hold, so their plain difference would overflow.
TEST(JournalTime, MillisecondsBetweenTheOutermostTimesDoesNotOverflow) {
  const TimePoint first = parse_time("1678-01-01T00:00:00.000Z");
  const TimePoint last = parse_time("2261-12-31T23:59:59.999Z");
  const long long days = 213'301;  // 1678-01-01 to 2262-01-01
  EXPECT_EQ(milliseconds_between(first, last).count(), days * 86'400'000 - 1);
  EXPECT_EQ(milliseconds_between(last, first).count(), -(days * 86'400'000 - 1));
  EXPECT_EQ(milliseconds_between(parse_time("1969-12-31T23:59:59.999Z"), parse_time("1970-01-01T00:00:00.001Z")).count(), 2);
}

TEST(JournalWrite, LeavesNoTempFileBehind) {
  test::TempDir dir;
  write_journal(test::representative_run(), dir.str() + "/journal.json");
  write_journal(test::representative_run(), dir.str() + "/journal.json");  // replaces the first
  EXPECT_EQ(file_names(dir.path()), std::vector<std::string>{"journal.json"});
}

TEST(JournalWrite, ReplacesExistingFileWhole) {
  test::TempDir dir;
  const auto path = dir.write("journal.json", std::string(1u << 20, 'x'));
  write_journal(test::representative_run(), path.string());
  EXPECT_TRUE(json::accept(read_file(path)));
}

TEST(JournalWrite, UnwritableDirectoryThrowsNamingThePath) {
  test::TempDir dir;
  const std::string path = dir.str() + "/no/such/dir/journal.json";
  try {
    write_journal(test::representative_run(), path);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr(path));
  }
  EXPECT_EQ(file_names(dir.path()).size(), 0u);
}

TEST(JournalWrite, WriteFileAtomicallyWritesExactContent) {
  test::TempDir dir;
  const std::string content = std::string("binary\0bytes\xff", 13) + std::string(100'000, 'z');
  write_file_atomically(dir.str() + "/out.bin", content);
  EXPECT_EQ(read_file(dir.path() / "out.bin"), content);
  EXPECT_EQ(file_names(dir.path()), std::vector<std::string>{"out.bin"});
}

TEST(JournalRead, MissingFileIsUserErrorNamingTheFile) {
  test::TempDir dir;
  const std::string path = dir.str() + "/missing.json";
  EXPECT_THROW(read_journal(path), UserError);
  EXPECT_THAT(read_error(path), HasSubstr(path));
}

TEST(JournalRead, NonJsonFileIsUserErrorNamingTheFile) {
  test::TempDir dir;
  const std::string path = dir.write("journal.json", "<testsuites/> not json").string();
  EXPECT_THROW(read_journal(path), UserError);
  EXPECT_THAT(read_error(path), HasSubstr(path));
  EXPECT_THAT(read_error(path), HasSubstr("invalid JSON"));
}

TEST(JournalRead, OtherSchemaVersionIsUserErrorNamingFileAndVersion) {
  test::TempDir dir;
  json journal = json(test::representative_run());
  journal["schema_version"] = 99;
  const std::string path = dir.write("journal.json", journal.dump()).string();
  EXPECT_THROW(read_journal(path), UserError);
  EXPECT_THAT(read_error(path), HasSubstr(path));
  EXPECT_THAT(read_error(path), HasSubstr("99"));
}

TEST(JournalRead, MissingFieldIsUserErrorNamingTheFile) {
  test::TempDir dir;
  json journal = json(test::representative_run());
  journal.erase("runId");
  const std::string path = dir.write("journal.json", journal.dump()).string();
  EXPECT_THROW(read_journal(path), UserError);
  EXPECT_THAT(read_error(path), HasSubstr(path));
  EXPECT_THAT(read_error(path), HasSubstr("runId"));
}

TEST(JournalRead, JsonThatIsNotAJournalIsUserError) {
  test::TempDir dir;
  const std::string path = dir.write("journal.json", "[1, 2, 3]").string();
  EXPECT_THROW(read_journal(path), UserError);
  EXPECT_THAT(read_error(path), HasSubstr(path));
}

}  // namespace
}  // namespace chaosgate
