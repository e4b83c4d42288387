#include "junit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <tinyxml2.h>

#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "support/run_fixture.h"
#include "util/text.h"

namespace chaosgate {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using tinyxml2::XMLElement;
namespace id = test::fixture_id;

// --- reading the XML back ---------------------------------------------------

std::unique_ptr<tinyxml2::XMLDocument> parse(const std::string& xml) {
  auto doc = std::make_unique<tinyxml2::XMLDocument>();
  const tinyxml2::XMLError error = doc->Parse(xml.data(), xml.size());
  EXPECT_EQ(error, tinyxml2::XML_SUCCESS) << doc->ErrorStr();
  return doc;
}

std::vector<const XMLElement*> children(const XMLElement* parent, const char* name) {
  std::vector<const XMLElement*> out;
  for (const XMLElement* child = parent->FirstChildElement(name); child != nullptr; child = child->NextSiblingElement(name))
    out.push_back(child);
  return out;
}

std::string attr(const XMLElement* element, const char* name) {
  const char* value = element->Attribute(name);
  return value == nullptr ? "" : value;
}

long long count_attr(const XMLElement* element, const char* name) { return element->Int64Attribute(name, -1); }

std::string text_of(const XMLElement* element) { return element->GetText() == nullptr ? "" : element->GetText(); }

std::vector<const XMLElement*> all_cases(const XMLElement* root) {
  std::vector<const XMLElement*> out;
  for (const auto* suite : children(root, "testsuite"))
    for (const auto* test_case : children(suite, "testcase")) out.push_back(test_case);
  return out;
}

// The test case of experiment `experiment_id` (its name starts with the id).
const XMLElement* find_case(const XMLElement* root, const std::string& experiment_id) {
  for (const auto* test_case : all_cases(root))
    if (attr(test_case, "name").rfind(experiment_id + ":", 0) == 0) return test_case;
  ADD_FAILURE() << "no test case for " << experiment_id;
  return nullptr;
}

std::map<std::string, std::string> properties(const XMLElement* suite) {
  std::map<std::string, std::string> out;
  const XMLElement* list = suite->FirstChildElement("properties");
  if (list == nullptr) return out;
  for (const auto* property : children(list, "property")) out[attr(property, "name")] = attr(property, "value");
  return out;
}

// Names of the child elements of a test case ("failure", "system-out", ...).
std::vector<std::string> child_names(const XMLElement* test_case) {
  std::vector<std::string> out;
  for (const XMLElement* child = test_case->FirstChildElement(); child != nullptr; child = child->NextSiblingElement())
    out.emplace_back(child->Name());
  return out;
}

std::size_t cases_with(const std::vector<const XMLElement*>& cases, const char* child) {
  std::size_t n = 0;
  for (const auto* test_case : cases) n += test_case->FirstChildElement(child) != nullptr ? 1 : 0;
  return n;
}

void for_each_element(const XMLElement* element, const std::function<void(const XMLElement*)>& visit) {
  visit(element);
  for (const XMLElement* child = element->FirstChildElement(); child != nullptr; child = child->NextSiblingElement())
    for_each_element(child, visit);
}

// A run with representative experiments and two preflight problems.
RunResult run_with_preflight_problems() {
  RunResult run = test::representative_run();
  run.preflight_problems = {"target cart-api unreachable: connection refused", "prometheus query failed: HTTP 401"};
  run.gate = "inconclusive";
  run.exit_code = 3;
  return run;
}

class JunitRepresentative : public ::testing::Test {
protected:
  RunResult run = test::representative_run();
  std::string xml = junit_xml(run);
  std::unique_ptr<tinyxml2::XMLDocument> doc = parse(xml);
  const XMLElement* root = doc->RootElement();
};

// --- structure --------------------------------------------------------------

TEST_F(JunitRepresentative, IsXmlDocumentWithTestsuitesRoot) {
  EXPECT_THAT(xml, StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
  ASSERT_NE(root, nullptr);
  EXPECT_STREQ(root->Name(), "testsuites");
  EXPECT_THAT(attr(root, "name"), HasSubstr(run.suite_name));
}

TEST_F(JunitRepresentative, HasOneTestsuitePerServiceInPlanOrder) {
  std::vector<std::string> names;
  for (const auto* suite : children(root, "testsuite")) names.push_back(attr(suite, "name"));
  EXPECT_THAT(names, ElementsAre("checkout", "cart", "search", "inventory"));
  EXPECT_EQ(all_cases(root).size(), run.experiments.size());
  EXPECT_EQ(children(children(root, "testsuite")[1], "testcase").size(), 2u);  // cart: failed + error
}

TEST_F(JunitRepresentative, CountsOnEachTestsuiteEqualElementsPresent) {
  for (const auto* suite : children(root, "testsuite")) {
    SCOPED_TRACE(attr(suite, "name"));
    const auto cases = children(suite, "testcase");
    EXPECT_EQ(count_attr(suite, "tests"), static_cast<long long>(cases.size()));
    EXPECT_EQ(count_attr(suite, "failures"), static_cast<long long>(cases_with(cases, "failure")));
    EXPECT_EQ(count_attr(suite, "errors"), static_cast<long long>(cases_with(cases, "error")));
    EXPECT_EQ(count_attr(suite, "skipped"), static_cast<long long>(cases_with(cases, "skipped")));
  }
}

TEST_F(JunitRepresentative, CountsOnTestsuitesEqualElementsPresent) {
  const auto cases = all_cases(root);
  EXPECT_EQ(count_attr(root, "tests"), 6);
  EXPECT_EQ(count_attr(root, "failures"), 2);  // failed + aborted
  EXPECT_EQ(count_attr(root, "errors"), 1);
  EXPECT_EQ(count_attr(root, "tests"), static_cast<long long>(cases.size()));
  EXPECT_EQ(count_attr(root, "failures"), static_cast<long long>(cases_with(cases, "failure")));
  EXPECT_EQ(count_attr(root, "errors"), static_cast<long long>(cases_with(cases, "error")));
}

// --- verdicts ---------------------------------------------------------------

TEST_F(JunitRepresentative, FailedBecomesRegressionFailure) {
  const XMLElement* test_case = find_case(root, id::failed);
  ASSERT_NE(test_case, nullptr);
  EXPECT_THAT(child_names(test_case), ElementsAre("failure", "system-out"));
  EXPECT_EQ(attr(test_case->FirstChildElement("failure"), "type"), "regression");
}

TEST_F(JunitRepresentative, AbortedBecomesFailure) {
  const XMLElement* test_case = find_case(root, id::aborted);
  ASSERT_NE(test_case, nullptr);
  ASSERT_THAT(child_names(test_case), ElementsAre("failure", "system-out"));
  const XMLElement* failure = test_case->FirstChildElement("failure");
  EXPECT_EQ(attr(failure, "type"), "aborted");
  EXPECT_EQ(attr(failure, "message"), run.experiments[5].reason);
}

TEST_F(JunitRepresentative, ErrorBecomesErrorWithReason) {
  const XMLElement* test_case = find_case(root, id::error);
  ASSERT_NE(test_case, nullptr);
  ASSERT_THAT(child_names(test_case), ElementsAre("error", "system-out"));
  EXPECT_EQ(attr(test_case->FirstChildElement("error"), "message"), "action failover-db failed: HTTP 500 from admin API");
}

TEST_F(JunitRepresentative, SkippedBecomesSkippedWithReasonAsMessage) {
  const XMLElement* test_case = find_case(root, id::skipped);
  ASSERT_NE(test_case, nullptr);
  ASSERT_THAT(child_names(test_case), ElementsAre("skipped"));
  EXPECT_EQ(attr(test_case->FirstChildElement("skipped"), "message"), "target dns-resolver is not available in staging");
}

TEST_F(JunitRepresentative, PassedHasNoResultElement) {
  const XMLElement* test_case = find_case(root, id::passed);
  ASSERT_NE(test_case, nullptr);
  EXPECT_TRUE(child_names(test_case).empty());
}

TEST_F(JunitRepresentative, FlakyPassesWithFlakyFailureAndSystemOutNote) {
  const XMLElement* test_case = find_case(root, id::flaky);
  ASSERT_NE(test_case, nullptr);
  ASSERT_THAT(child_names(test_case), ElementsAre("flakyFailure", "system-out"));
  EXPECT_EQ(attr(test_case->FirstChildElement("flakyFailure"), "message"), "search-p95: p95 1240ms, expected <= 800ms");
  const std::string note = text_of(test_case->FirstChildElement("system-out"));
  EXPECT_THAT(note, StartsWith("FLAKY"));
  EXPECT_THAT(note, HasSubstr("attempt 2 of 2"));
  EXPECT_THAT(note, HasSubstr("attempt 1: failed"));
}

TEST_F(JunitRepresentative, FlakyExperimentHasFlakyProperty) {
  const XMLElement* test_case = find_case(root, id::flaky);
  ASSERT_NE(test_case, nullptr);
  const auto props = properties(test_case->Parent()->ToElement());
  EXPECT_EQ(props.at(std::string(id::flaky) + ".flaky"), "true");
  const auto failed_props = properties(find_case(root, id::failed)->Parent()->ToElement());
  EXPECT_EQ(failed_props.count(std::string(id::failed) + ".flaky"), 0u);
}

// --- attributes and text ----------------------------------------------------

TEST_F(JunitRepresentative, ClassnameIsOwnerDotServiceAndNameStartsWithExperimentId) {
  for (const auto& result : run.experiments) {
    const ExperimentInfo& e = result.experiment;
    const XMLElement* test_case = find_case(root, e.id);
    ASSERT_NE(test_case, nullptr);
    EXPECT_EQ(attr(test_case, "classname"), e.owner + "." + e.service);
    EXPECT_EQ(attr(test_case, "name"), e.id + ": " + e.title);
  }
}

TEST_F(JunitRepresentative, TimesAreSecondsWithThreeDecimals) {
  const std::regex seconds(R"(\d+\.\d{3})");
  for (const auto* test_case : all_cases(root)) EXPECT_TRUE(std::regex_match(attr(test_case, "time"), seconds)) << attr(test_case, "time");
  for (const auto* suite : children(root, "testsuite")) EXPECT_TRUE(std::regex_match(attr(suite, "time"), seconds));
  EXPECT_EQ(attr(find_case(root, id::failed), "time"), "12.345");
  EXPECT_EQ(attr(find_case(root, id::flaky), "time"), "9.876");
  EXPECT_EQ(attr(find_case(root, id::skipped), "time"), "0.000");
  EXPECT_EQ(attr(children(root, "testsuite")[1], "time"), "13.845");  // cart: 12.345 + 1.500
  EXPECT_EQ(attr(root, "time"), "60.000");
}

// A journal's times may be centuries apart (a clock gone wrong, a hand-made
// journal); the report states the span instead of overflowing on it.
TEST(JunitTimes, RunSpanningCenturiesGetsItsTimeInSeconds) {
  RunResult run = test::representative_run();
  run.started = parse_time("1678-01-01T00:00:00.000Z");
  run.finished = parse_time("2261-12-31T23:59:59.999Z");
  const auto doc = parse(junit_xml(run));
  EXPECT_EQ(attr(doc->RootElement(), "time"), "18429206399.999");  // 213,301 days less 1 ms
}

TEST_F(JunitRepresentative, FailureMessageNamesDeviatedProbeWithExpectedAndObserved) {
  const std::string message = attr(find_case(root, id::failed)->FirstChildElement("failure"), "message");
  EXPECT_EQ(message,
            "probe cart-reads-during-stall deviated: expected success ratio >= 0.95, p95 <= 800ms, "
            "observed success ratio 0.71 (71/100), p95 1240ms");
}

TEST_F(JunitRepresentative, FailureBodyIsTimelineOfProbesActionsAndRollbacks) {
  const std::string body = text_of(find_case(root, id::failed)->FirstChildElement("failure"));
  EXPECT_THAT(body, HasSubstr("attempt 1: failed in 5.000s"));
  EXPECT_THAT(body, HasSubstr("+0.500s action pause-redis: ok, SIGSTOP -> pid 4242"));
  EXPECT_THAT(body, HasSubstr("during probe cart-reads-during-stall: DEVIATED"));
  EXPECT_THAT(body, HasSubstr("[+x-+]"));  // ok, failed, no answer, ok
  EXPECT_THAT(body, HasSubstr("+10.500s rollback resume-redis: ok, SIGCONT -> pid 4242"));
  // Time order: the action comes before the probe it disturbs, the rollback after.
  EXPECT_LT(body.find("action pause-redis"), body.find("probe cart-reads-during-stall"));
  EXPECT_LT(body.find("probe cart-reads-during-stall"), body.find("rollback resume-redis"));
}

TEST_F(JunitRepresentative, PropertiesDescribeEachExperimentAndTheSuite) {
  const auto props = properties(find_case(root, id::failed)->Parent()->ToElement());
  const std::string p = std::string(id::failed) + ".";
  EXPECT_EQ(props.at(p + "owner"), "team-cart");
  EXPECT_EQ(props.at(p + "service"), "cart");
  EXPECT_EQ(props.at(p + "incident_category"), "cache-outage");
  EXPECT_EQ(props.at(p + "attack_group"), "state");
  EXPECT_EQ(props.at(p + "risk.likelihood"), "4");
  EXPECT_EQ(props.at(p + "risk.impact"), "4");
  EXPECT_EQ(props.at(p + "risk.level"), "high");
  EXPECT_EQ(props.at(p + "fingerprint"), run.experiments[1].fingerprint);
  EXPECT_EQ(props.at("chaosgate.suite_digest"), run.suite_digest);
  EXPECT_EQ(props.at("chaosgate.suite"), "shop-resilience 1.4.0");
  EXPECT_EQ(props.at("chaosgate.run_id"), run.run_id);
  EXPECT_EQ(props.at("chaosgate.environment"), "staging");
  // The error experiment of the same service is described in the same suite.
  EXPECT_EQ(props.at(std::string(id::error) + ".risk.level"), "critical");
}

TEST_F(JunitRepresentative, SystemOutNamesFingerprintAndDefinition) {
  const std::string note = text_of(find_case(root, id::failed)->FirstChildElement("system-out"));
  EXPECT_THAT(note, HasSubstr("owner team-cart, service cart, risk high (likelihood 4 x impact 4)"));
  EXPECT_THAT(note, HasSubstr("fingerprint " + run.experiments[1].fingerprint));
  EXPECT_THAT(note, HasSubstr("defined at suites/my suite.yaml:42:5"));
}

// --- preflight --------------------------------------------------------------

TEST(JunitPreflight, ProblemsBecomeErrorCasesInPreflightSuite) {
  const RunResult run = run_with_preflight_problems();
  const auto doc = parse(junit_xml(run));
  const XMLElement* root = doc->RootElement();
  const XMLElement* preflight = root->FirstChildElement("testsuite");
  ASSERT_NE(preflight, nullptr);
  EXPECT_EQ(attr(preflight, "name"), "preflight");
  const auto cases = children(preflight, "testcase");
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(count_attr(preflight, "tests"), 2);
  EXPECT_EQ(count_attr(preflight, "errors"), 2);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    ASSERT_THAT(child_names(cases[i]), ElementsAre("error"));
    EXPECT_THAT(attr(cases[i]->FirstChildElement("error"), "message"), HasSubstr(run.preflight_problems[i]));
    EXPECT_THAT(attr(cases[i], "name"), HasSubstr(run.preflight_problems[i]));
  }
  // The totals include the preflight cases.
  const auto every_case = all_cases(root);
  EXPECT_EQ(count_attr(root, "tests"), static_cast<long long>(every_case.size()));
  EXPECT_EQ(count_attr(root, "errors"), static_cast<long long>(cases_with(every_case, "error")));
  EXPECT_EQ(count_attr(root, "errors"), 3);
}

TEST(JunitPreflight, RunWithOnlyPreflightProblemsHasOnlyPreflightSuite) {
  RunResult run = run_with_preflight_problems();
  run.experiments.clear();
  const auto doc = parse(junit_xml(run));
  const auto suites = children(doc->RootElement(), "testsuite");
  ASSERT_EQ(suites.size(), 1u);
  EXPECT_EQ(attr(suites[0], "name"), "preflight");
  EXPECT_EQ(count_attr(doc->RootElement(), "tests"), 2);
}

// --- hostile text and size bounds -------------------------------------------

bool has_forbidden_control_byte(const std::string& text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\n' && c != '\t') || byte == 0x7F) return true;
  }
  return false;
}

TEST(JunitHostile, OutputIsWellFormedValidUtf8WithoutControlCharacters) {
  const std::string xml = junit_xml(test::hostile_run());
  const auto doc = parse(xml);
  ASSERT_NE(doc->RootElement(), nullptr);
  EXPECT_FALSE(find_invalid_utf8(xml).has_value());
  EXPECT_FALSE(has_forbidden_control_byte(xml));
  EXPECT_THAT(xml, Not(HasSubstr("<script>")));
  EXPECT_THAT(xml, Not(HasSubstr("]]>")));
  // The hostile text is still there, escaped, for a human to read.
  EXPECT_THAT(xml, HasSubstr("&lt;script&gt;"));
  EXPECT_EQ(all_cases(doc->RootElement()).size(), 6u);
}

TEST(JunitHostile, MegabyteStringsAreCappedPerAttributeAndBody) {
  const JunitLimits limits;
  const std::string xml = junit_xml(test::hostile_run(), limits);
  // Dozens of 1 MiB fields went in; each is cut to its cap.
  EXPECT_LT(xml.size(), 1u << 20);
  const auto doc = parse(xml);
  std::size_t bodies = 0;
  for_each_element(doc->RootElement(), [&](const XMLElement* element) {
    for (const tinyxml2::XMLAttribute* a = element->FirstAttribute(); a != nullptr; a = a->Next())
      EXPECT_LE(std::string(a->Value()).size(), limits.max_attribute_bytes) << element->Name() << " " << a->Name();
    if (element->GetText() != nullptr) {
      EXPECT_LE(std::string(element->GetText()).size(), limits.max_body_bytes) << element->Name();
      ++bodies;
    }
  });
  EXPECT_GE(bodies, 5u);  // failure, error and system-out bodies were written
}

TEST(JunitLimits, TotalBodyBudgetReplacesLaterBodiesWithPointerToJournal) {
  const JunitLimits limits{.max_attribute_bytes = 64, .max_body_bytes = 100, .max_total_body_bytes = 250};
  const auto doc = parse(junit_xml(test::representative_run(), limits));
  std::vector<std::string> bodies;
  for_each_element(doc->RootElement(), [&](const XMLElement* element) {
    for (const tinyxml2::XMLAttribute* a = element->FirstAttribute(); a != nullptr; a = a->Next())
      EXPECT_LE(std::string(a->Value()).size(), 64u);
    if (element->GetText() != nullptr) bodies.emplace_back(element->GetText());
  });
  ASSERT_GE(bodies.size(), 4u);
  EXPECT_LE(bodies.front().size(), 100u);
  EXPECT_THAT(bodies.front(), HasSubstr("bytes in all]"));  // cut with the marker
  EXPECT_THAT(bodies.back(), HasSubstr("journal.json"));
  std::size_t kept = 0;
  for (const auto& body : bodies)
    if (body.find("journal.json") == std::string::npos) kept += body.size();
  EXPECT_LE(kept, 250u);
}

// --- streaming ----------------------------------------------------------------

// A large run goes out in pieces of about 64 KiB (one case may overrun a
// piece), never held whole, and the pieces are one well-formed document with
// every case.
TEST(JunitStreaming, LargeRunArrivesInBoundedPiecesThatMakeTheWholeDocument) {
  RunResult run = test::representative_run();
  const std::vector<ExperimentResult> one_of_each = run.experiments;
  run.experiments.clear();
  for (int copy = 0; copy < 400; ++copy)
    for (ExperimentResult result : one_of_each) {
      result.experiment.id += "-" + std::to_string(copy);
      run.experiments.push_back(std::move(result));
    }
  std::vector<std::size_t> sizes;
  std::string document;
  write_junit(run, [&](std::string_view piece) {
    sizes.push_back(piece.size());
    document += piece;
  });
  ASSERT_GT(document.size(), 1000000u);  // the case for pieces at all
  EXPECT_GT(sizes.size(), document.size() / (128 * 1024));
  for (const std::size_t size : sizes) EXPECT_LT(size, 128u * 1024);
  const auto doc = parse(document);
  ASSERT_NE(doc->RootElement(), nullptr);
  EXPECT_EQ(all_cases(doc->RootElement()).size(), run.experiments.size());
  EXPECT_EQ(count_attr(doc->RootElement(), "tests"), static_cast<long long>(run.experiments.size()));
}

}  // namespace
}  // namespace chaosgate
