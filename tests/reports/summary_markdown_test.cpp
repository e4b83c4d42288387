#include "summary_markdown.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support/run_fixture.h"
#include "util/text.h"

namespace chaosgate {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
namespace id = test::fixture_id;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Table rows, header and separator included.
std::vector<std::string> table_lines(const std::string& markdown) {
  std::vector<std::string> out;
  for (const auto& line : lines_of(markdown))
    if (line.rfind("| ", 0) == 0) out.push_back(line);
  return out;
}

// Experiment rows: the table without its header and separator.
std::vector<std::string> table_rows(const std::string& markdown) {
  auto rows = table_lines(markdown);
  if (rows.size() >= 2) rows.erase(rows.begin(), rows.begin() + 2);
  return rows;
}

// Occurrences of `c` that Markdown acts on: not escaped by a backslash.
std::size_t count_unescaped(const std::string& text, char c) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
      continue;
    }
    n += text[i] == c ? 1 : 0;
  }
  return n;
}

std::string line_containing(const std::string& markdown, const std::string& needle) {
  for (const auto& line : lines_of(markdown))
    if (line.find(needle) != std::string::npos) return line;
  return "";
}

bool valid_utf8(const std::string& text) { return !find_invalid_utf8(text).has_value(); }

// "... 12 regression(s) and 345 table row(s) not shown ..." -> {12, 345}.
std::pair<std::size_t, std::size_t> not_shown(const std::string& markdown) {
  std::smatch match;
  const std::regex pattern(R"((\d+) regression\(s\) and (\d+) table row\(s\) not shown)");
  if (!std::regex_search(markdown, match, pattern)) return {0, 0};
  return {std::stoul(match[1]), std::stoul(match[2])};
}

class SummaryRepresentative : public ::testing::Test {
protected:
  RunResult run = test::representative_run();
  std::string markdown = summary_markdown(run);
};

// --- layout -----------------------------------------------------------------

TEST_F(SummaryRepresentative, StartsWithVerdictHeading) {
  EXPECT_THAT(markdown, StartsWith("## \u274C chaosgate: gate failed\n"));
  EXPECT_THAT(lines_of(markdown).at(2), StartsWith("1 regression: cart-survives-redis-pause (exit 1)"));
}

TEST(SummaryHeading, NamesEachGateDecision) {
  const std::pair<const char*, const char*> cases[] = {{"passed", "## \u2705 chaosgate: gate passed\n"},
                                                       {"interrupted", "## \U0001F6D1 chaosgate: run interrupted\n"},
                                                       {"inconclusive", "## \u2757 chaosgate: gate inconclusive\n"}};
  for (const auto& [gate, heading] : cases) {
    RunResult run = test::representative_run();
    run.gate = gate;
    EXPECT_THAT(summary_markdown(run), StartsWith(heading)) << gate;
  }
}

TEST_F(SummaryRepresentative, ContextLineLinksPipelineAndJob) {
  EXPECT_THAT(markdown, HasSubstr("environment **staging**"));
  EXPECT_THAT(markdown, HasSubstr("[pipeline](https://gitlab.example.com/shop/shop/-/pipelines/9001)"));
  EXPECT_THAT(markdown, HasSubstr("[job](https://gitlab.example.com/shop/shop/-/jobs/77001)"));
  EXPECT_THAT(markdown, HasSubstr("commit 9fceb02d0ae5 "));  // 12 characters of the commit
  EXPECT_THAT(markdown, HasSubstr("6 experiment(s) in 1m"));
}

TEST(SummaryTimes, RunSpanningCenturiesStatesItsSpan) {
  RunResult run = test::representative_run();
  run.started = parse_time("1678-01-01T00:00:00.000Z");
  run.finished = parse_time("2261-12-31T00:00:00.000Z");
  EXPECT_THAT(summary_markdown(run), HasSubstr("6 experiment(s) in 5119200h"));  // 213,300 days
}

TEST_F(SummaryRepresentative, RegressionsSectionComesBeforeTable) {
  const std::size_t regressions = markdown.find("### Regressions (1)");
  const std::size_t table = markdown.find("| experiment | verdict | owner | risk | time | why |");
  ASSERT_NE(regressions, std::string::npos);
  ASSERT_NE(table, std::string::npos);
  EXPECT_LT(regressions, table);
  EXPECT_LT(markdown.find("## "), regressions);
}

TEST_F(SummaryRepresentative, RegressionEntryNamesOwnerRiskExpectedAndObserved) {
  const std::string entry = line_containing(markdown, "- **cart-survives-redis-pause**");
  EXPECT_THAT(entry, HasSubstr("Cart keeps serving reads while Redis is paused"));
  EXPECT_THAT(entry, HasSubstr("owner **team-cart**"));
  EXPECT_THAT(entry, HasSubstr("risk high (4\u00D74)"));
  EXPECT_THAT(markdown, HasSubstr("  probe cart-reads-during-stall: expected success ratio \\>= 0.95, p95 \\<= 800ms, "
                                  "observed **success ratio 0.71 (71/100), p95 1240ms**"));
}

TEST_F(SummaryRepresentative, OnlyFailedExperimentsAreRegressions) {
  const std::string section = markdown.substr(markdown.find("### Regressions"), markdown.find("### All experiments") -
                                                                                    markdown.find("### Regressions"));
  EXPECT_THAT(section, HasSubstr(id::failed));
  for (const char* other : {id::passed, id::flaky, id::error, id::skipped, id::aborted}) EXPECT_THAT(section, Not(HasSubstr(other)));
}

TEST_F(SummaryRepresentative, TableHasOneRowPerExperimentInPlanOrder) {
  const auto rows = table_rows(markdown);
  ASSERT_EQ(rows.size(), run.experiments.size());
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_THAT(rows[i], StartsWith("| " + run.experiments[i].experiment.id + " | "));
  EXPECT_THAT(rows[0], HasSubstr("\u2705 passed"));
  EXPECT_THAT(rows[1], HasSubstr("\u274C **failed**"));
  EXPECT_THAT(rows[2], HasSubstr("flaky"));
  EXPECT_THAT(rows[3], HasSubstr("error"));
  EXPECT_THAT(rows[4], HasSubstr("skipped"));
  EXPECT_THAT(rows[5], HasSubstr("aborted"));
}

TEST_F(SummaryRepresentative, TableRowsShowOwnerRiskTimeAndReason) {
  const auto rows = table_rows(markdown);
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_THAT(rows[1], HasSubstr("| team-cart | high (4\u00D74) | 12.345s |"));
  EXPECT_THAT(rows[4], HasSubstr("target dns-resolver is not available in staging"));
  EXPECT_THAT(rows[0], EndsWith("|  |"));  // a passed experiment needs no "why"
  for (const auto& line : table_lines(markdown)) EXPECT_EQ(count_unescaped(line, '|'), 7u) << line;
}

TEST_F(SummaryRepresentative, EndsWithPointerToOtherReports) {
  EXPECT_THAT(markdown, EndsWith("_Reports: junit.xml, chaosgate.sarif, journal.json (job artifacts)._\n"));
  EXPECT_THAT(markdown, Not(HasSubstr("Summary cut")));
  EXPECT_THAT(markdown, Not(HasSubstr("report.html")));
}

TEST(SummaryHtml, PointerNamesReportHtmlWhenItWasWritten) {
  const RunResult run = test::representative_run();
  EXPECT_THAT(summary_markdown(run, {.ticket_links = {}, .max_chars = 1'000'000, .html_report = true}),
              EndsWith("_Reports: junit.xml, chaosgate.sarif, journal.json, report.html (timelines of what did not pass) "
                       "(job artifacts)._\n"));
  const std::string cut = summary_markdown(test::run_with_experiments(20'000),
                                           {.ticket_links = {}, .max_chars = 10'000, .html_report = true});
  EXPECT_LE(cut.size(), 10'000u);
  EXPECT_THAT(cut, EndsWith("journal.json, report.html (timelines of what did not pass) among the job's artifacts._\n"));
}

// summary.md is written piece by piece as it is made: the pieces are the
// note's text, cut or not, and each piece is at most a line (never the whole).
TEST(SummaryWriter, PiecesMakeTheSameTextAsTheNote) {
  for (const std::size_t max_chars : {std::size_t{1'000'000}, std::size_t{10'000}, std::size_t{300}}) {
    const RunResult run = test::run_with_experiments(2'000);
    const SummaryOptions options{.ticket_links = {}, .max_chars = max_chars};
    std::string pieces;
    std::size_t largest = 0;
    write_summary_markdown(run, options, [&](std::string_view piece) {
      pieces += piece;
      largest = std::max(largest, piece.size());
    });
    EXPECT_EQ(pieces, summary_markdown(run, options)) << max_chars;
    EXPECT_LE(pieces.size(), max_chars);
    EXPECT_LT(largest, 2'000u) << max_chars;
  }
}

// --- ticket links -----------------------------------------------------------

TEST(SummaryTickets, UrlBecomesLinkAndKeyStaysText) {
  const SummaryOptions options{.ticket_links = {{id::failed, "https://jira.example.com/browse/SHOP-123"}, {id::error, "SHOP-124"}},
                               .max_chars = 1'000'000};
  const std::string markdown = summary_markdown(test::representative_run(), options);
  EXPECT_THAT(line_containing(markdown, "- **cart-survives-redis-pause**"),
              HasSubstr("ticket [SHOP-123](https://jira.example.com/browse/SHOP-123)"));
  const auto rows = table_rows(markdown);
  ASSERT_EQ(rows.size(), 6u);
  // Set off from the reason before it, as in the list of regressions.
  EXPECT_THAT(rows[1], HasSubstr(" \u00B7 ticket [SHOP-123](https://jira.example.com/browse/SHOP-123) |"));
  EXPECT_THAT(rows[3], HasSubstr(" \u00B7 ticket SHOP-124 |"));
  EXPECT_THAT(rows[0], Not(HasSubstr("SHOP-")));
}

TEST(SummaryTickets, LinkTargetCannotBreakOutOfLinkOrTable) {
  const SummaryOptions options{.ticket_links = {{id::failed, "https://jira.example.com/browse/SHOP-1?q=a b)|c<d"}},
                               .max_chars = 1'000'000};
  const std::string markdown = summary_markdown(test::representative_run(), options);
  EXPECT_THAT(markdown, HasSubstr("(https://jira.example.com/browse/SHOP-1?q=a%20b%29%7Cc%3Cd)"));
  for (const auto& line : table_lines(markdown)) EXPECT_EQ(count_unescaped(line, '|'), 7u) << line;
}

TEST(SummaryTickets, NonHttpTicketIsNotLinked) {
  const SummaryOptions options{.ticket_links = {{id::failed, "javascript:alert(1)"}}, .max_chars = 1'000'000};
  const std::string markdown = summary_markdown(test::representative_run(), options);
  EXPECT_THAT(markdown, Not(HasSubstr("](javascript:")));
  EXPECT_THAT(markdown, HasSubstr("ticket javascript:alert(1)"));
}

// --- hostile text -----------------------------------------------------------

TEST(SummaryHostile, MarkdownActiveCharactersAreEscaped) {
  const std::string markdown = summary_markdown(test::hostile_run());
  EXPECT_THAT(markdown, HasSubstr("\\[x\\](javascript:alert(1))"));  // still readable, escaped
  EXPECT_THAT(markdown, Not(HasSubstr("[x](javascript:")));
  EXPECT_THAT(markdown, Not(HasSubstr("<script>")));
  EXPECT_EQ(count_unescaped(markdown, '<'), 0u);
  EXPECT_EQ(count_unescaped(markdown, '['), 0u);  // no link opens: the hostile CI URLs are not linked either
  EXPECT_EQ(count_unescaped(markdown, '`'), 0u);
  EXPECT_EQ(count_unescaped(markdown, '@'), 0u);
}

TEST(SummaryHostile, TableKeepsItsColumns) {
  const RunResult run = test::hostile_run();
  const std::string markdown = summary_markdown(run);
  const auto lines = table_lines(markdown);
  ASSERT_EQ(lines.size(), run.experiments.size() + 2);
  for (const auto& line : lines) EXPECT_EQ(count_unescaped(line, '|'), 7u) << line.substr(0, 200);
}

TEST(SummaryHostile, OutputIsValidUtf8WithoutControlCharacters) {
  const std::string markdown = summary_markdown(test::hostile_run());
  EXPECT_TRUE(valid_utf8(markdown));
  for (const char c : markdown) EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20 && c != '\n') << static_cast<int>(c);
  EXPECT_LT(markdown.size(), 64u * 1024);  // 1 MiB fields are capped per cell
}

// --- size bound -------------------------------------------------------------

TEST(SummaryLimit, TwentyThousandExperimentsFitSmallLimitAndPointAtJournal) {
  const RunResult run = test::run_with_experiments(20'000);
  const std::string markdown = summary_markdown(run, {.ticket_links = {}, .max_chars = 10'000});
  EXPECT_LE(markdown.size(), 10'000u);
  EXPECT_THAT(markdown, StartsWith("## \u274C chaosgate: gate failed"));
  EXPECT_THAT(markdown, HasSubstr("Summary cut to stay under 10000 characters"));
  EXPECT_THAT(markdown, EndsWith("journal.json among the job's artifacts._\n"));
  EXPECT_TRUE(valid_utf8(markdown));
  // The numbers in the pointer add up with what is shown.
  const std::size_t regressions = run.count(Verdict::failed);
  std::size_t shown = 0;
  for (const auto& line : lines_of(markdown)) shown += line.rfind("- **exp-", 0) == 0 ? 1 : 0;
  EXPECT_GT(shown, 0u);
  EXPECT_EQ(not_shown(markdown), std::make_pair(regressions - shown, run.experiments.size() - table_rows(markdown).size()));
}

TEST(SummaryLimit, TableIsCutAfterRegressionsWhenOnlyItDoesNotFit) {
  const RunResult run = test::run_with_experiments(300);  // 43 regressions
  const std::string markdown = summary_markdown(run, {.ticket_links = {}, .max_chars = 12'000});
  EXPECT_LE(markdown.size(), 12'000u);
  const auto rows = table_rows(markdown);
  EXPECT_GT(rows.size(), 0u);
  EXPECT_LT(rows.size(), 300u);
  EXPECT_EQ(not_shown(markdown), std::make_pair(std::size_t{0}, 300 - rows.size()));
  for (const auto& line : table_lines(markdown)) EXPECT_EQ(count_unescaped(line, '|'), 7u) << line;
}

TEST(SummaryLimit, StaysWithinEveryLimitAsValidUtf8) {
  const RunResult run = test::run_with_experiments(2'000);
  for (const std::size_t max : {0u, 1u, 50u, 300u, 499u, 500u, 777u, 1'000u, 4'096u, 10'001u}) {
    const std::string markdown = summary_markdown(run, {.ticket_links = {}, .max_chars = max});
    EXPECT_LE(markdown.size(), max);
    EXPECT_TRUE(valid_utf8(markdown)) << max;
    if (max >= 1'000) {
      EXPECT_THAT(markdown, HasSubstr("journal.json")) << max;
    }
  }
}

TEST(SummaryLimit, CutInsideMultibyteCharactersStaysValidUtf8) {
  RunResult run = test::representative_run();
  std::string wide;
  while (wide.size() < 6'000) wide += "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";  // é € 😀
  run.gate_reason = wide;
  run.suite_name = wide;
  run.environment = wide;
  // The head is cut at max/2 when it does not fit: sweeping the limit one
  // byte at a time puts that cut at every offset of the é € 😀 run, so most
  // limits fall inside a character.
  for (std::size_t max = 200; max <= 3'000; ++max) {
    const std::string markdown = summary_markdown(run, {.ticket_links = {}, .max_chars = max});
    ASSERT_LE(markdown.size(), max);
    ASSERT_TRUE(valid_utf8(markdown)) << "max " << max;
    ASSERT_THAT(markdown, StartsWith("## "));
  }
}

}  // namespace
}  // namespace chaosgate

namespace chaosgate {
namespace {

// --- incident coverage and drills ------------------------------------------------

RunResult run_with_coverage() {
  RunResult run = test::representative_run();
  run.incident_coverage = {{"config-drift", "Config drift", {"INC-9"}, {}},
                           {"dependency-outage", "Dependency outage", {"INC-1", "INC-2"}, {id::failed, id::passed}},
                           {"instance-loss", "Instance loss", {}, {id::flaky}},
                           {"overload", "Overload", {}, {id::aborted}},
                           {"dns", "DNS", {}, {id::skipped}}};
  return run;
}

TEST(SummaryCoverage, CountsCoveredCategoriesAndListsBlindSpotsFirst) {
  const std::string markdown = summary_markdown(run_with_coverage());
  EXPECT_THAT(markdown, HasSubstr("### Incident coverage\n\n1 of 5 incident categories covered by promoted experiments that "
                                  "held in this run; 1 blind spot(s).\n\n- \u274C **config-drift**: blind spot"));
  EXPECT_THAT(markdown, HasSubstr(std::string("**dependency-outage**: regressed ") + id::failed + "; held " + id::passed +
                                  " \u00B7 INC-1, INC-2"));
  EXPECT_THAT(markdown, HasSubstr(std::string("\u2705 **instance-loss**: held ") + id::flaky));
  EXPECT_THAT(markdown, HasSubstr(std::string("**overload**: not judged here (") + id::aborted + " aborted)"));
  EXPECT_THAT(markdown, HasSubstr("**dns**: not run here (1 promoted)"));
  // Before the table, after the regressions.
  EXPECT_LT(markdown.find("### Regressions"), markdown.find("### Incident coverage"));
  EXPECT_LT(markdown.find("### Incident coverage"), markdown.find("### All experiments"));
}

// An id the run lists twice (shards' journals merged) counts as its last result.
TEST(SummaryCoverage, AnIdListedTwiceCountsAsItsLastResult) {
  RunResult run = run_with_coverage();
  for (auto& result : run.experiments)
    if (result.experiment.id == id::flaky) result.experiment.id = id::failed;  // failed, then flaky, in plan order
  const std::string line = line_containing(summary_markdown(run), "**dependency-outage**");
  EXPECT_THAT(line, HasSubstr(std::string("held ") + id::failed + ", " + id::passed));
  EXPECT_THAT(line, Not(HasSubstr("regressed")));
}

TEST(SummaryCoverage, AbsentForJournalsWithoutIt) {
  EXPECT_THAT(summary_markdown(test::representative_run()), Not(HasSubstr("Incident coverage")));
}

TEST(SummaryCoverage, StaysShortForManyCategories) {
  RunResult run = test::representative_run();
  for (int i = 0; i < 100; ++i) run.incident_coverage.push_back({"cat-" + std::to_string(i), "", {}, {}});
  const std::string markdown = summary_markdown(run);
  EXPECT_THAT(markdown, HasSubstr("- \u2026 70 more: `chaosgate coverage`"));
  EXPECT_THAT(markdown, Not(HasSubstr("**cat-30**")));
}

TEST(SummaryCoverage, ACategoryOfManyExperimentsNamesTheFirstTenOfEachKind) {
  RunResult run = test::run_with_experiments(1'000);
  std::vector<std::string> ids, held, regressed;
  for (const auto& result : run.experiments) {
    ids.push_back(result.experiment.id);
    if (result.verdict == Verdict::passed || result.verdict == Verdict::flaky) held.push_back(result.experiment.id);
    if (result.verdict == Verdict::failed) regressed.push_back(result.experiment.id);
  }
  ASSERT_GT(held.size(), 10u);
  ASSERT_GT(regressed.size(), 10u);
  run.incident_coverage = {{"overload", "Overload", {}, ids}};
  const std::string line = line_containing(summary_markdown(run), "**overload**");
  const auto first_ten = [](const std::vector<std::string>& list) {
    std::string out;
    for (std::size_t i = 0; i < 10; ++i) out += (i ? ", " : "") + list[i];
    return out;
  };
  EXPECT_THAT(line, HasSubstr(": regressed " + first_ten(regressed) + " and " + std::to_string(regressed.size() - 10) +
                              " more; held " + first_ten(held) + " and " + std::to_string(held.size() - 10) + " more"));
  EXPECT_THAT(line, Not(HasSubstr(regressed[10] + ",")));
  EXPECT_LT(line.size(), 1'000u);
}

TEST(SummaryDrill, HeadingAndContextSayDrill) {
  RunResult run = test::representative_run();
  run.drill = true;
  const std::string markdown = summary_markdown(run);
  EXPECT_THAT(markdown, StartsWith("## \u274C chaosgate: drill failed\n"));
  EXPECT_THAT(markdown, HasSubstr("**drill** (a replay of promoted experiments; no release gated)"));
}

}  // namespace
}  // namespace chaosgate
