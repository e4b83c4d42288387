#include "html_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <tinyxml2.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "html_text.h"
#include "support/run_fixture.h"
#include "timeline_svg.h"
#include "util/text.h"

namespace chaosgate {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using tinyxml2::XMLElement;
using std::chrono::milliseconds;
namespace id = test::fixture_id;

// --- reading the markup back --------------------------------------------------

std::unique_ptr<tinyxml2::XMLDocument> parse(const std::string& xml) {
  auto doc = std::make_unique<tinyxml2::XMLDocument>();
  EXPECT_EQ(doc->Parse(xml.data(), xml.size()), tinyxml2::XML_SUCCESS) << doc->ErrorStr();
  return doc;
}

std::string attr(const XMLElement* element, const char* name) {
  return element->Attribute(name) == nullptr ? "" : element->Attribute(name);
}

bool has_class(const XMLElement* element, const std::string& cls) {
  return (" " + attr(element, "class") + " ").find(" " + cls + " ") != std::string::npos;
}

void for_each_element(const XMLElement* element, const std::function<void(const XMLElement*)>& visit) {
  visit(element);
  for (const XMLElement* child = element->FirstChildElement(); child != nullptr; child = child->NextSiblingElement())
    for_each_element(child, visit);
}

// Every element below `root` (itself included) named `name` with class `cls` (when given), in document order.
std::vector<const XMLElement*> find_all(const XMLElement* root, const std::string& name, const std::string& cls = "") {
  std::vector<const XMLElement*> out;
  if (root == nullptr) return out;
  for_each_element(root, [&](const XMLElement* e) {
    if (e->Name() == name && (cls.empty() || has_class(e, cls))) out.push_back(e);
  });
  return out;
}

// All text below `node`, unescaped, concatenated.
std::string text_of(const tinyxml2::XMLNode* node) {
  std::string out;
  for (const tinyxml2::XMLNode* child = node->FirstChild(); child != nullptr; child = child->NextSibling())
    out += child->ToText() != nullptr ? std::string(child->Value()) : text_of(child);
  return out;
}

// Points of a polyline ("x,y x,y ...": one comma each).
std::size_t point_count(const XMLElement* polyline) {
  const std::string points = attr(polyline, "points");
  return static_cast<std::size_t>(std::count(points.begin(), points.end(), ','));
}

// --- attempts built by hand ------------------------------------------------------

ProbeSample sample_at(long long at_ms, bool ok, bool reached, double value) {
  return {.at = test::fixture_time(at_ms), .ok = ok, .reached = reached, .value = value, .latency_ms = value, .observed = "x"};
}

ProbeResult probe_result(std::string name, Phase phase, bool ok, long long started_ms, std::vector<ProbeSample> samples = {}) {
  return {.probe = std::move(name), .phase = phase, .ok = ok, .expected = "", .observed = "", .samples = std::move(samples),
          .started = test::fixture_time(started_ms), .duration = milliseconds(250)};
}

ActionRecord action_at(bool rollback, long long started_ms, long long duration_ms) {
  return {.action = "a", .rollback = rollback, .ok = true, .detail = "", .started = test::fixture_time(started_ms),
          .duration = milliseconds(duration_ms)};
}

// Starts at fixture_time(0) and lasts 10 s.
Attempt attempt_of(std::vector<ProbeResult> probes, std::vector<ActionRecord> actions = {}) {
  return {.number = 1, .verdict = Verdict::failed, .reason = "", .probes = std::move(probes), .actions = std::move(actions),
          .started = test::fixture_time(0), .duration = milliseconds(10'000)};
}

std::string svg_of(const Attempt& attempt, std::size_t max_points = 300) {
  std::string out;
  append_timeline_svg(out, attempt, max_points);
  return out;
}

// --- TimelineSvg -----------------------------------------------------------------

TEST(TimelineSvg, RowPerProbeInTimeOrder) {
  const auto doc = parse(svg_of(attempt_of({probe_result("p-after", Phase::after, true, 8'000),
                                            probe_result("p-before", Phase::before, true, 0),
                                            probe_result("p-during", Phase::during, true, 2'000)})));
  ASSERT_NE(doc->RootElement(), nullptr);
  EXPECT_EQ(std::string(doc->RootElement()->Name()), "svg");
  const auto rows = find_all(doc->RootElement(), "g", "row");
  ASSERT_EQ(rows.size(), 3u);
  const std::vector<std::string> names = {"p-before", "p-during", "p-after"};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ASSERT_NE(rows[i]->FirstChildElement("text"), nullptr);
    EXPECT_EQ(text_of(rows[i]->FirstChildElement("text")), names[i]);
  }
}

TEST(TimelineSvg, FaultWindowSpansMethodToLastRollback) {
  const auto doc = parse(svg_of(attempt_of({probe_result("p", Phase::before, true, 0)},
                                           {action_at(false, 2'000, 1'000), action_at(true, 7'000, 1'000)})));
  const auto faults = find_all(doc->RootElement(), "rect", "fault");
  ASSERT_EQ(faults.size(), 1u);
  EXPECT_NEAR(faults[0]->DoubleAttribute("x", -1), 230 + 0.2 * 518, 0.2);
  EXPECT_NEAR(faults[0]->DoubleAttribute("width", -1), 0.6 * 518, 0.2);

  const auto without = parse(svg_of(attempt_of({probe_result("p", Phase::before, true, 0)})));
  EXPECT_TRUE(find_all(without->RootElement(), "rect", "fault").empty());
}

TEST(TimelineSvg, SampledProbeLineAndFailures) {
  std::vector<ProbeSample> samples;
  for (int i = 0; i < 50; ++i) {
    const bool failed = i >= 10 && i <= 14, unreached = i == 20;
    samples.push_back(sample_at(1'000 + i * 100, !failed && !unreached, !unreached, failed ? 900 : 50));
  }
  const auto doc = parse(svg_of(attempt_of({probe_result("p", Phase::during, false, 1'000, samples)})));
  const auto lines = find_all(doc->RootElement(), "polyline", "series");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(point_count(lines[0]), 49u);  // the unreached sample has no value to draw
  EXPECT_EQ(find_all(doc->RootElement(), "circle", "bad").size(), 5u);
  EXPECT_EQ(find_all(doc->RootElement(), "circle", "miss").size(), 1u);
  EXPECT_TRUE(find_all(doc->RootElement(), "circle", "good").empty());
}

TEST(TimelineSvg, ThinsLongSeries) {
  std::vector<ProbeSample> samples;
  for (int i = 0; i < 10'000; ++i) samples.push_back(sample_at(i, i % 100 != 0, true, i % 100 == 0 ? 900 : 50));
  const Attempt attempt = attempt_of({probe_result("p", Phase::during, false, 0, samples)});
  for (const auto& [max_points, bad] : std::vector<std::pair<std::size_t, std::size_t>>{{300, 100}, {50, 50}}) {
    SCOPED_TRACE(max_points);
    const auto doc = parse(svg_of(attempt, max_points));
    const auto lines = find_all(doc->RootElement(), "polyline", "series");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_LE(point_count(lines[0]), max_points + 1);
    EXPECT_GE(point_count(lines[0]), max_points / 2);  // thinned, not emptied
    EXPECT_EQ(find_all(doc->RootElement(), "circle", "bad").size(), bad);  // every failure, up to max_points
  }
}

TEST(TimelineSvg, OneShotProbeMarkedGoodOrBad) {
  const auto doc = parse(svg_of(attempt_of({probe_result("before", Phase::before, true, 0, {sample_at(0, true, true, 30)}),
                                            probe_result("after", Phase::after, false, 8'000, {sample_at(8'000, false, true, 30)})})));
  const auto rows = find_all(doc->RootElement(), "g", "row");
  ASSERT_EQ(rows.size(), 2u);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(find_all(rows[i], "circle", i == 0 ? "good" : "bad").size(), 1u) << i;
    EXPECT_EQ(find_all(rows[i], "circle").size(), 1u) << i;
    EXPECT_TRUE(find_all(rows[i], "polyline").empty()) << i;
  }
}

// A journal may hold any number and any duration: the drawing stays finite
// (no "nan" or "inf" coordinates) and nothing overflows (UBSan in CI).
TEST(TimelineSvg, ExtremeValuesAndDurationsStayFinite) {
  const double huge = std::numeric_limits<double>::max();
  std::vector<ProbeSample> samples = {sample_at(0, false, true, std::numeric_limits<double>::quiet_NaN()),
                                      sample_at(10, false, true, std::numeric_limits<double>::infinity()),
                                      sample_at(20, false, true, huge), sample_at(30, false, true, -huge),
                                      sample_at(40, true, true, 5)};
  ActionRecord endless = action_at(false, 0, 0);
  endless.duration = milliseconds(std::numeric_limits<long long>::max());
  ActionRecord backwards = action_at(true, 100, 0);
  backwards.duration = milliseconds(std::numeric_limits<long long>::min());
  Attempt attempt = attempt_of({probe_result("p", Phase::during, false, 0, samples)}, {endless, backwards});
  attempt.duration = milliseconds(std::numeric_limits<long long>::min());
  const std::string svg = svg_of(attempt);
  const auto doc = parse(svg);
  ASSERT_NE(doc->RootElement(), nullptr);
  for (const char* bad : {"nan", "inf", "NaN", "Inf"}) EXPECT_EQ(svg.find(bad), std::string::npos) << bad;
  EXPECT_EQ(find_all(doc->RootElement(), "circle", "bad").size(), 2u);   // the two finite failures
  EXPECT_EQ(find_all(doc->RootElement(), "circle", "miss").size(), 2u);  // NaN and infinity: no value to draw
}

TEST(TimelineSvg, EscapesProbeNames) {
  const std::string name = "<script>alert(\"x\")</script>";
  const auto doc = parse(svg_of(attempt_of({probe_result(name, Phase::before, false, 0)})));
  ASSERT_NE(doc->RootElement(), nullptr);
  EXPECT_TRUE(find_all(doc->RootElement(), "script").empty());
  const auto rows = find_all(doc->RootElement(), "g", "row");
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_NE(rows[0]->FirstChildElement("text"), nullptr);
  EXPECT_EQ(text_of(rows[0]->FirstChildElement("text")), name);
}

// --- HtmlReport -------------------------------------------------------------------
// Markup assumed of html_report.cpp (adjust here if it differs): <table class="experiments"> with
// <thead> and <tbody>, one <tr> per experiment plus a last "N more" row; each charted experiment a
// <section class="experiment" id="..."> whose first <h3> text starts with the experiment id, its
// attempts <svg class="timeline">; preflight problems and notices <li> items.

// The table of every experiment and its data rows (<tbody><tr>).
std::vector<const XMLElement*> table_rows(const XMLElement* root) {
  const auto tables = find_all(root, "table", "experiments");
  EXPECT_LE(tables.size(), 1u);
  std::vector<const XMLElement*> rows;
  for (const auto* body : find_all(tables.empty() ? nullptr : tables[0], "tbody"))
    for (const auto* row : find_all(body, "tr")) rows.push_back(row);
  return rows;
}

// The experiment a section charts: its <h3> starts with the experiment id.
std::string heading_of(const XMLElement* section) {
  const auto headings = find_all(section, "h3");
  return headings.empty() ? "" : text_of(headings[0]);
}

TEST(HtmlReport, WellFormedWithEveryExperimentInTheTable) {
  const RunResult run = test::representative_run();
  const std::string page = html_report(run);
  EXPECT_THAT(page, StartsWith("<!DOCTYPE html>"));
  const auto doc = parse(page);
  ASSERT_EQ(doc->ErrorID(), tinyxml2::XML_SUCCESS);
  ASSERT_NE(doc->RootElement(), nullptr);
  EXPECT_EQ(std::string(doc->RootElement()->Name()), "html");
  ASSERT_EQ(find_all(doc->RootElement(), "table", "experiments").size(), 1u);
  const auto rows = table_rows(doc->RootElement());
  EXPECT_EQ(rows.size(), run.experiments.size());
  for (const char* experiment : {id::passed, id::failed, id::flaky, id::error, id::skipped, id::aborted})
    EXPECT_EQ(std::count_if(rows.begin(), rows.end(), [&](const auto* row) { return text_of(row).find(experiment) != std::string::npos; }), 1)
        << experiment;
}

TEST(HtmlReport, TimelinesOnlyForThoseThatDidNotPass) {
  const auto doc = parse(html_report(test::representative_run()));
  const auto sections = find_all(doc->RootElement(), "section", "experiment");
  const std::vector<std::string> expected = {id::failed, id::aborted, id::error, id::flaky};  // most severe first
  ASSERT_EQ(sections.size(), expected.size());
  std::set<std::string> anchors;
  for (std::size_t i = 0; i < sections.size(); ++i) {
    EXPECT_THAT(heading_of(sections[i]), StartsWith(expected[i]));
    anchors.insert(attr(sections[i], "id"));
  }
  EXPECT_EQ(anchors.size(), sections.size());  // distinct id attributes (x{plan position})
  EXPECT_EQ(anchors.count(""), 0u);
  EXPECT_EQ(find_all(sections[0], "svg", "timeline").size(), 1u);
  EXPECT_EQ(find_all(sections[3], "svg", "timeline").size(), 2u);  // flaky: one per attempt
}

TEST(HtmlReport, CapsChartedExperiments) {
  RunResult run = test::representative_run();
  run.experiments.clear();
  for (int i = 0; i < 150; ++i) run.experiments.push_back(test::failed_experiment("e" + std::to_string(i), RiskLevel::high));
  HtmlReportOptions options;
  options.max_charted = 100;
  const std::string page = html_report(run, options);
  const auto doc = parse(page);
  const auto sections = find_all(doc->RootElement(), "section", "experiment");
  ASSERT_EQ(sections.size(), 100u);
  EXPECT_THAT(heading_of(sections.front()), StartsWith("e0"));
  EXPECT_THAT(heading_of(sections.back()), StartsWith("e99"));
  EXPECT_THAT(page, HasSubstr("50 more"));
  EXPECT_EQ(table_rows(doc->RootElement()).size(), 150u);  // the table still lists every one
}

TEST(HtmlReport, CapsTableRows) {
  HtmlReportOptions options;
  options.max_rows = 20;
  const auto doc = parse(html_report(test::run_with_experiments(50), options));
  const auto rows = table_rows(doc->RootElement());
  ASSERT_EQ(rows.size(), 21u);  // 20 experiments and the count of the rest
  EXPECT_THAT(text_of(rows.back()), HasSubstr("30 more"));
}

TEST(HtmlReport, HostileTextStaysText) {
  const std::string hostile = "<script>alert(1)</script> \"><img src=x onerror=alert(1)> &amp; ctl\x01" "end bad\xff" "end";
  RunResult run = test::representative_run();
  ExperimentResult& failed = run.experiments[1];
  ASSERT_EQ(failed.experiment.id, id::failed);
  failed.experiment.title = failed.reason = failed.observed = hostile;
  run.notices.push_back(hostile);
  const std::string page = html_report(run);
  const auto doc = parse(page);
  ASSERT_NE(doc->RootElement(), nullptr);
  EXPECT_TRUE(find_all(doc->RootElement(), "script").empty());
  EXPECT_TRUE(find_all(doc->RootElement(), "img").empty());
  EXPECT_THAT(page, Not(HasSubstr("<script>")));
  EXPECT_EQ(page.find('\x01'), std::string::npos);
  EXPECT_FALSE(find_invalid_utf8(page).has_value());
  // Still there for a human to read, as text.
  const std::string text = text_of(doc->RootElement());
  EXPECT_THAT(text, HasSubstr("<script>alert(1)</script>"));
  EXPECT_THAT(text, HasSubstr("&amp;"));

  // Every field of the fixture's hostile run (some 1 MiB long) stays text too, and capped.
  const std::string hostile_page = html_report(test::hostile_run());
  const auto hostile_doc = parse(hostile_page);
  ASSERT_NE(hostile_doc->RootElement(), nullptr);
  EXPECT_TRUE(find_all(hostile_doc->RootElement(), "script").empty());
  EXPECT_FALSE(find_invalid_utf8(hostile_page).has_value());
  EXPECT_LT(hostile_page.size(), 1u << 20);
}

TEST(HtmlReport, TicketLinks) {
  HtmlReportOptions options;
  options.ticket_links = {{id::failed, "https://tracker.example/SHOP-1"}, {id::flaky, "javascript:alert(1)"}, {id::error, "SHOP-2"}};
  const auto doc = parse(html_report(test::representative_run(), options));
  ASSERT_NE(doc->RootElement(), nullptr);
  const auto links = find_all(doc->RootElement(), "a");
  EXPECT_TRUE(std::any_of(links.begin(), links.end(), [](const auto* a) { return attr(a, "href") == "https://tracker.example/SHOP-1"; }));
  for_each_element(doc->RootElement(), [](const XMLElement* element) {
    for (const char* name : {"href", "src", "action", "formaction", "xlink:href"}) {
      const std::string value = attr(element, name);
      EXPECT_THAT(value, Not(HasSubstr("javascript:"))) << element->Name() << " " << name;
      EXPECT_NE(value, "SHOP-2") << "a ticket key is not a link";
    }
  });
  EXPECT_THAT(text_of(doc->RootElement()), HasSubstr("SHOP-2"));
}

TEST(HtmlText, OnlyWebAddressesAndRelativePathsAreLinks) {
  EXPECT_EQ(html_link_target("https://tracker.example/browse/SHOP-1?a=1&b=2"), "https://tracker.example/browse/SHOP-1?a=1&amp;b=2");
  EXPECT_EQ(html_link_target("tickets/SHOP-3.md"), "tickets/SHOP-3.md");  // the file tracker's, beside report.html
  for (const char* not_a_link : {"SHOP-2", "javascript:alert(1)", "JavaScript:alert(1)//x", "data:text/html,x", "/etc/passwd",
                                 "//evil.example/x", "vbscript:x/y", "https://x.example/a b", ""})
    EXPECT_EQ(html_link_target(not_a_link), "") << not_a_link;
  EXPECT_EQ(html_text("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(html_text("a\x01" "b\xff"), "ab\xEF\xBF\xBD");
}

TEST(HtmlReport, StreamedEqualsWhole) {
  const RunResult run = test::run_with_experiments(3000);
  std::vector<std::size_t> sizes;
  std::string streamed;
  write_html_report(run, [&](std::string_view piece) {
    sizes.push_back(piece.size());
    streamed += piece;
  });
  EXPECT_GE(sizes.size(), 2u);
  for (const std::size_t size : sizes) EXPECT_LT(size, 128u * 1024);  // about 64 KiB each
  EXPECT_TRUE(streamed == html_report(run)) << "the streamed page differs from html_report()";
}

TEST(HtmlReport, PreflightOnlyRun) {
  RunResult run;
  run.gate = "inconclusive";
  run.gate_reason = "preflight failed: nothing was injected";
  run.preflight_problems = {"target redis-cart is not reachable", "no permission to pause containers"};
  const auto doc = parse(html_report(run));
  ASSERT_NE(doc->RootElement(), nullptr);
  std::vector<std::string> items;
  for (const auto* li : find_all(doc->RootElement(), "li")) items.push_back(text_of(li));
  for (const auto& problem : run.preflight_problems)
    EXPECT_TRUE(std::any_of(items.begin(), items.end(), [&](const auto& item) { return item.find(problem) != std::string::npos; }))
        << problem;
  EXPECT_TRUE(table_rows(doc->RootElement()).empty());
  EXPECT_TRUE(find_all(doc->RootElement(), "section", "experiment").empty());
  EXPECT_THAT(text_of(doc->RootElement()), HasSubstr("inconclusive"));
}

}  // namespace
}  // namespace chaosgate
