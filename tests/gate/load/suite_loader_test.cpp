#include "load/suite_loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "support/files.h"
#include "util/redact.h"

namespace chaosgate {

namespace {

LoadOptions isolated_options() {
  LoadOptions options;
  // Tests must not depend on the developer's environment.
  options.process_variables = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  return options;
}

// One promoted experiment as an element of a YAML "experiments:" list, of
// service `service` and category "c".
std::string experiment_item(const std::string& id, const std::string& service = "s") {
  return "  - id: " + id + "\n    title: T\n    service: " + service + "\n    hypothesis: H\n    incidentCategory: c\n"
         "    attackGroup: state\n    risk: {likelihood: 1, impact: 1}\n    status: promoted\n    followUp: [f]\n"
         "    steadyState: [{name: p, tcp: {host: 127.0.0.1, port: 1}}]\n    method: [{name: w, pause: 1s}]\n";
}

std::vector<std::string> errors_of(const LoadResult& result) {
  std::vector<std::string> errors;
  for (const auto& d : result.diagnostics.items())
    if (d.severity == Severity::error) errors.push_back(d.to_string());
  return errors;
}

}  // namespace

TEST(SuiteLoader, ExampleSuiteIsCleanAndComplete) {
  const auto result = load_suite({test::repo_source("examples/shop-suite.yaml")}, isolated_options());
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(errors_of(result));
  const Suite& suite = result.suite;
  EXPECT_EQ(suite.name, "shop");
  EXPECT_GE(suite.experiments.size(), 8u);
  EXPECT_EQ(suite.catalog.teams.size(), 3u);
  EXPECT_GE(suite.catalog.incident_categories.size(), 4u);
  std::set<AttackGroup> groups;
  std::set<RiskLevel> levels;
  for (const auto& e : suite.experiments) {
    groups.insert(e.attack_group);
    levels.insert(suite.catalog.risk_matrix.level(e.risk.likelihood, e.risk.impact));
    EXPECT_FALSE(e.owner.empty()) << e.id;    // defaulted from the service
    EXPECT_FALSE(e.targets.empty()) << e.id;  // defaulted from the service
    EXPECT_GT(e.location.line, 0) << e.id;
  }
  EXPECT_EQ(groups.size(), 5u) << "all five attack groups";
  EXPECT_GE(levels.size(), 3u) << "several risk levels";
  EXPECT_EQ(suite.digest.size(), 64u);
  // ${SHOP_URL:-...} falls back to its default when the variable is unset.
  EXPECT_EQ(suite.experiments[0].steady_state[0].http().url, "http://127.0.0.1:18080/cart/chaos-demo");
}

TEST(SuiteLoader, EnvironmentVariablesFeedInterpolation) {
  auto options = isolated_options();
  options.process_variables = [](const std::string& name) -> std::optional<std::string> {
    if (name == "SHOP_URL") return std::string("http://127.0.0.1:5555");
    return std::nullopt;
  };
  auto result = load_suite({test::repo_source("examples/shop-suite.yaml")}, options);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.suite.experiments[0].steady_state[0].http().url, "http://127.0.0.1:5555/cart/chaos-demo");

  options.environment = "production";
  result = load_suite({test::repo_source("examples/shop-suite.yaml")}, options);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.suite.experiments[0].steady_state[0].http().url, "https://shop.example.com/cart/chaos-demo");
  EXPECT_TRUE(result.suite.catalog.find_environment("production")->production);

  options.environment = "qa";
  result = load_suite({test::repo_source("examples/shop-suite.yaml")}, options);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(errors_of(result)[0].find("environment \"qa\" is not declared (declared: staging, production)"), std::string::npos);
}

// A JSON suite's experiments are decoded one at a time after the rest of the
// file (load_suite defers them): defaults and environments written after them
// still apply, and problems are reported where they are written.
TEST(SuiteLoader, JsonExperimentsWrittenBeforeDefaultsAndEnvironmentsGetThem) {
  const std::string experiment_tail =
      "\"service\": \"svc\", \"hypothesis\": \"h\", \"incidentCategory\": \"cat\", \"attackGroup\": \"state\",\n"
      "     \"risk\": {\"likelihood\": 2, \"impact\": 3}, \"status\": \"promoted\", \"targets\": [\"t\"],\n"
      "     \"method\": [{\"name\": \"wait\", \"pause\": \"1s\"}],\n"
      "     \"steadyState\": [{\"name\": \"up\", \"http\": {\"url\": \"${BASE}/health\"}}]";
  const std::string text =
      "{\"apiVersion\": \"chaosgate/v1\", \"name\": \"late\",\n"
      " \"experiments\": [\n"
      "    {\"id\": \"first\", \"title\": \"First\", " + experiment_tail + "},\n"
      "    {\"id\": \"second\", \"title\": \"Second\", \"retries\": 1, " + experiment_tail + ", \"colour\": \"red\"}\n"
      " ],\n"
      " \"defaults\": {\"timeout\": \"42s\", \"retries\": 2},\n"
      " \"catalog\": {\"teams\": [{\"id\": \"team\"}], \"services\": [{\"id\": \"svc\", \"owner\": \"team\"}],\n"
      "   \"incidentCategories\": [{\"id\": \"cat\", \"title\": \"Cat\"}],\n"
      "   \"environments\": [{\"name\": \"staging\", \"variables\": {\"BASE\": \"http://127.0.0.1:8080\"}}]}\n"
      "}\n";
  const auto result = load_suite({{"late.json", text, "json"}}, isolated_options());
  EXPECT_EQ(errors_of(result),
            std::vector<std::string>{"late.json:10:74: error: experiments[1].colour: unknown field \"colour\""});
  ASSERT_EQ(result.suite.experiments.size(), 2u);
  const Experiment& first = result.suite.experiments[0];
  const Experiment& second = result.suite.experiments[1];
  EXPECT_EQ(first.id, "first");
  EXPECT_EQ(first.location.to_string(), "late.json:3:5");
  EXPECT_EQ(first.timeout, Millis(42000));
  EXPECT_EQ(first.retries, 2);
  EXPECT_EQ(second.retries, 1);
  EXPECT_EQ(second.location.to_string(), "late.json:7:5");
  EXPECT_EQ(first.steady_state.at(0).http().url, "http://127.0.0.1:8080/health");

  // Handed on, the experiments are read again from the text in place (not a
  // copy of it): the same experiments and the same problem.
  LoadOptions handing_on = isolated_options();
  std::vector<Experiment> handed;
  handing_on.each_experiment = [&](Experiment&& e) { handed.push_back(std::move(e)); };
  std::vector<std::size_t> told;  // how many to expect, before the first is handed on
  handing_on.expect_experiments = [&](std::size_t count) { told.push_back(handed.size()), told.push_back(count); };
  const auto again = load_suite({{"late.json", text, "json"}}, handing_on);
  EXPECT_EQ(errors_of(again), errors_of(result));
  EXPECT_EQ(told, (std::vector<std::size_t>{0, 2}));
  ASSERT_EQ(handed.size(), 2u);
  EXPECT_EQ(handed[1].location.to_string(), "late.json:7:5");
  EXPECT_EQ(handed[1].retries, 1);
  EXPECT_EQ(handed[0].steady_state.at(0).http().url, "http://127.0.0.1:8080/health");
}

// The loader keeps the places of the fields that a check or `promote --write`
// looks up after the tree is gone (the rest are not kept): a service's
// unknown owner is reported at the owner's value, not at the service.
TEST(SuiteLoader, AServicesUnknownOwnerIsReportedAtTheOwnersValue) {
  const std::string text =
      "{\"apiVersion\": \"chaosgate/v1\", \"name\": \"refs\",\n"
      " \"catalog\": {\"teams\": [{\"id\": \"team\"}],\n"
      "   \"services\": [{\"id\": \"svc\",\n"
      "                 \"owner\": \"nobody\"}],\n"
      "   \"incidentCategories\": [{\"id\": \"cat\", \"title\": \"Cat\"}]},\n"
      " \"experiments\": [{\"id\": \"e\", \"title\": \"E\", \"service\": \"svc\", \"hypothesis\": \"h\",\n"
      "   \"incidentCategory\": \"cat\", \"attackGroup\": \"state\", \"risk\": {\"likelihood\": 1, \"impact\": 1},\n"
      "   \"status\": \"promoted\", \"method\": [{\"name\": \"wait\", \"pause\": \"1s\"}],\n"
      "   \"steadyState\": [{\"name\": \"up\", \"tcp\": {\"host\": \"127.0.0.1\", \"port\": 9}}]}]\n"
      "}\n";
  const auto result = load_suite({{"refs.json", text, "json"}}, isolated_options());
  // The experiment's owner is not written (the service's is taken), so its
  // error stands at the experiment.
  EXPECT_EQ(errors_of(result),
            (std::vector<std::string>{"refs.json:4:27: error: catalog.services[0].owner: unknown team \"nobody\" (known: team)",
                                      "refs.json:6:18: error: experiments[0].owner: unknown team \"nobody\" (known: team)"}));
  ASSERT_EQ(result.suite.experiments.size(), 1u);
  const Experiment& experiment = result.suite.experiments[0];
  EXPECT_EQ(experiment.location_of(LocatedField::status).to_string(), "refs.json:8:14");
  EXPECT_EQ(experiment.location_of(LocatedField::service).to_string(), "refs.json:6:55");
}

// Each broken example, with every error it must produce: file, line, column, path and message.
struct BrokenCase {
  std::string file;
  std::vector<std::string> errors;
};

class BrokenExamples : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenExamples, ReportExactlyTheseErrors) {
  const auto& param = GetParam();
  const auto result = load_suite({test::repo_source("examples/broken/" + param.file)}, isolated_options());
  EXPECT_EQ(errors_of(result), param.errors);
}

const std::string k_dir = "examples/broken/";

INSTANTIATE_TEST_SUITE_P(
    Examples, BrokenExamples,
    ::testing::Values(
        BrokenCase{"unknown-field.yaml",
                   {k_dir + "unknown-field.yaml:8:5: error: experiments[0]: missing required field \"hypothesis\"",
                    k_dir + "unknown-field.yaml:11:5: error: experiments[0].hypothesys: unknown field \"hypothesys\"; did you mean \"hypothesis\"?",
                    k_dir + "unknown-field.yaml:18:51: error: experiments[0].steadyState[0].http.timeot: unknown field \"timeot\"; did you mean \"timeout\"?"}},
        BrokenCase{"wrong-type.json",
                   {k_dir + "wrong-type.json:19:18: error: experiments[0].retries: expected an integer, found a string",
                    k_dir + "wrong-type.json:20:15: error: experiments[0].tags: expected an array of strings, found a string"}},
        BrokenCase{"missing-required.yaml",
                   {k_dir + "missing-required.yaml:8:5: error: experiments[0]: missing required field \"service\"",
                    k_dir + "missing-required.yaml:8:5: error: experiments[0]: missing required field \"risk\""}},
        BrokenCase{"bad-duration.yaml",
                   {k_dir + "bad-duration.yaml:16:14: error: experiments[0].timeout: malformed duration \"5 parsecs\"; write a number and a unit: 500ms, 30s, 2m, 1h, 1m30s",
                    k_dir + "bad-duration.yaml:21:35: error: experiments[0].observe[0].tolerance.successRatio: malformed tolerance \"about 0.9\"; write an operator and a value, e.g. \">= 0.95\"",
                    k_dir + "bad-duration.yaml:21:60: error: experiments[0].observe[0].tolerance.latencyP95: tolerance \"<= 800\" needs a duration unit, e.g. \"<= 800ms\"",
                    k_dir + "bad-duration.yaml:24:16: error: experiments[0].method[0].pause: malformed duration \"10\"; write a number and a unit: 500ms, 30s, 2m, 1h, 1m30s"}},
        BrokenCase{"risk-out-of-range.json",
                   {k_dir + "risk-out-of-range.json:16:22: error: experiments[0].attackGroup: \"weather\" is not one of network, resource, state, application, dependency",
                    k_dir + "risk-out-of-range.json:17:30: error: experiments[0].risk.likelihood: must be between 1 and 5, found 7",
                    k_dir + "risk-out-of-range.json:17:43: error: experiments[0].risk.impact: must be between 1 and 5, found 0"}},
        BrokenCase{"empty-method.yaml",
                   {k_dir + "empty-method.yaml:19:13: error: experiments[0].method: method is empty: an experiment needs at least one action"}},
        BrokenCase{"semantic-duplicate-id.yaml",
                   {k_dir + "semantic-duplicate-id.yaml:18:5: error: experiments[1]: duplicate experiment id \"cart-redis-pause\" (first defined at " + k_dir + "semantic-duplicate-id.yaml:8:5)"}},
        BrokenCase{"semantic-unknown-refs.yaml",
                   {k_dir + "semantic-unknown-refs.yaml:10:12: error: experiments[0].owner: unknown team \"chekout\"; did you mean \"checkout\"?",
                    k_dir + "semantic-unknown-refs.yaml:11:14: error: experiments[0].service: unknown service \"carts\"; did you mean \"cart\"?",
                    k_dir + "semantic-unknown-refs.yaml:13:23: error: experiments[0].incidentCategory: unknown incident category \"power-outage\" (known: dependency-outage)"}},
        BrokenCase{"network-bad-toxic.yaml",
                   {k_dir + "network-bad-toxic.yaml:21:25: error: experiments[0].method[0].network.toxic.type: \"latancy\" is not one of latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, http_status, http_delay, drop_connect; did you mean \"latency\"?",
                    k_dir + "network-bad-toxic.yaml:21:44: error: experiments[0].method[0].network.toxic.toxicity: expected a number between 0 and 1"}},
        BrokenCase{"semantic-fault-without-rollback.yaml",
                   {k_dir + "semantic-fault-without-rollback.yaml:18:9: error: experiments[0].method[0]: fault action \"stall-redis\" has no rollback; add \"rollback:\" with the action that undoes it (e.g. SIGCONT)"}},
        BrokenCase{"semantic-unset-variable.yaml",
                   {k_dir + "semantic-unset-variable.yaml:18:21: error: experiments[0].steadyState[0].http.url: variable ${CHAOSGATE_TEST_SURELY_UNSET_URL} is not set (give it a value, or a default: ${CHAOSGATE_TEST_SURELY_UNSET_URL:-value})"}},
        BrokenCase{"syntax-duplicate-key.yaml", {k_dir + "syntax-duplicate-key.yaml:8:5: error: duplicate key \"title\" (first defined at line 7)"}},
        BrokenCase{"syntax-bad-json.json", {k_dir + "syntax-bad-json.json:5:16: error: invalid JSON: unexpected '}'; expected string literal"}},
        BrokenCase{"syntax-bad-yaml.yaml", {k_dir + "syntax-bad-yaml.yaml:6:1: error: invalid YAML: did not find expected ',' or "
                                                    "']' (while parsing a flow sequence started at line 5, column 12)"}},
        BrokenCase{"syntax-empty.yaml", {k_dir + "syntax-empty.yaml:1:1: error: file is empty"}},
        BrokenCase{"syntax-bom.yaml", {k_dir + "syntax-bom.yaml:1:1: error: file starts with a UTF-8 byte order mark; save it as UTF-8 without BOM"}},
        BrokenCase{"syntax-invalid-utf8.yaml", {k_dir + "syntax-invalid-utf8.yaml:2:11: error: invalid UTF-8 byte sequence"}},
        BrokenCase{"syntax-binary.yaml", {k_dir + "syntax-binary.yaml:1:13: error: file contains a NUL byte: binary data, not a suite"}}),
    [](const ::testing::TestParamInfo<BrokenCase>& case_info) {
      std::string name = case_info.param.file;
      for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      return name;
    });

TEST(SuiteLoader, EveryBrokenExampleIsCovered) {
  // A new broken example must get its expectations above.
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(CHAOSGATE_SOURCE_DIR) + "/examples/broken"))
    files += entry.is_regular_file();
  EXPECT_EQ(files, 18u);
}

TEST(SuiteLoader, DirectoryPartsMergeAndClashesAreReported) {
  const SourceText catalog{"suite/catalog.yaml",
                           "apiVersion: chaosgate/v1\nname: split\ncatalog:\n  teams: [{id: t}]\n"
                           "  services: [{id: s, owner: t, targets: [x]}]\n"
                           "  incidentCategories: [{id: c, title: C}]\n",
                           "yaml"};
  auto part = [&](const std::string& name, const std::string& id) {
    return SourceText{name, "apiVersion: chaosgate/v1\nexperiments:\n" + experiment_item(id), "yaml"};
  };
  auto result = load_suite({catalog, part("suite/a.yaml", "one"), part("suite/b.yaml", "two")}, isolated_options());
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(errors_of(result));
  ASSERT_EQ(result.suite.experiments.size(), 2u);
  EXPECT_EQ(result.suite.experiments[1].location.file, "suite/b.yaml");
  EXPECT_EQ(result.suite.files, (std::vector<std::string>{"suite/catalog.yaml", "suite/a.yaml", "suite/b.yaml"}));

  // The path is the element's in its own file (b.yaml's first), not its
  // place in the merged list.
  result = load_suite({catalog, part("suite/a.yaml", "one"), part("suite/b.yaml", "one")}, isolated_options());
  ASSERT_EQ(errors_of(result).size(), 1u);
  EXPECT_EQ(errors_of(result)[0],
            "suite/b.yaml:3:5: error: experiments[0]: duplicate experiment id \"one\" (first defined at suite/a.yaml:3:5)");

  // A catalog in a later file is known to an earlier file's experiments
  // (every catalog is read before any experiment is checked), and their
  // defaults come from it.
  result = load_suite({part("suite/a.yaml", "one"), catalog}, isolated_options());
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(errors_of(result));
  ASSERT_EQ(result.suite.experiments.size(), 1u);
  EXPECT_EQ(result.suite.experiments[0].owner, "t");
  EXPECT_EQ(result.suite.experiments[0].targets, std::vector<std::string>{"x"});
}

TEST(SuiteLoader, ExperimentsHandedOnAreCheckedAndNotKept) {
  const SourceText suite{"s.yaml",
                         "apiVersion: chaosgate/v1\nname: s\ncatalog:\n  teams: [{id: t}]\n"
                         "  services: [{id: s, owner: t, targets: [x]}]\n  incidentCategories: [{id: c, title: C}]\n"
                         "experiments:\n" + experiment_item("one") + experiment_item("two", "nope") + experiment_item("one"),
                         "yaml"};
  LoadOptions options = isolated_options();
  std::vector<Experiment> handed;
  options.each_experiment = [&](Experiment&& e) { handed.push_back(std::move(e)); };
  const auto result = load_suite({suite}, options);
  EXPECT_TRUE(result.suite.experiments.empty());
  EXPECT_EQ(result.experiment_count, 3u);
  ASSERT_EQ(handed.size(), 3u);
  EXPECT_EQ(handed[0].owner, "t");  // the service's defaults filled in before it is handed on
  EXPECT_EQ(handed[0].targets, std::vector<std::string>{"x"});
  const auto errors = errors_of(result);
  ASSERT_EQ(errors.size(), 2u) << ::testing::PrintToString(errors);
  EXPECT_NE(errors[0].find("experiments[1].service: unknown service \"nope\""), std::string::npos) << errors[0];
  EXPECT_NE(errors[1].find("experiments[2]: duplicate experiment id \"one\""), std::string::npos) << errors[1];
}

TEST(SuiteLoader, DigestPinsTheBytes) {
  const SourceText a{"a.yaml", "x: 1\n", "yaml"};
  const SourceText b{"a.yaml", "x: 2\n", "yaml"};
  // Single file: exactly `sha256sum a.yaml`.
  EXPECT_EQ(suite_digest({a}), "d09edadd173a8bbc233d47dcafc30cc876af2fb569812f2bbe0e92a1905bbce8");
  EXPECT_NE(suite_digest({a}), suite_digest({b}));
  EXPECT_NE(suite_digest({a, b}), suite_digest({b, a}));
}

}  // namespace chaosgate

namespace chaosgate {

TEST(SuiteLoader, SecretsFromVariablesAndCredentialHeadersAreRedacted) {
  const std::string suite =
      "apiVersion: chaosgate/v1\ncatalog:\n  teams: [{id: t}]\n  services: [{id: s, owner: t, targets: [x]}]\n"
      "  incidentCategories: [{id: c, title: C}]\nexperiments:\n  - id: e\n    title: T\n    service: s\n"
      "    hypothesis: H\n    incidentCategory: c\n    attackGroup: state\n    risk: {likelihood: 1, impact: 1}\n"
      "    status: promoted\n    followUp: [f]\n    steadyState:\n      - name: p\n"
      "        http:\n          url: \"http://127.0.0.1:1/?k=${SHOP_API_TOKEN}\"\n"
      "          headers: {X-Session: \"${PLAIN_VALUE}\", Authorization: \"Basic ${AUTH_BLOB}\"}\n"
      "    method: [{name: w, pause: 1s}]\n";
  LoadOptions options;
  options.process_variables = [](const std::string& name) -> std::optional<std::string> {
    if (name == "SHOP_API_TOKEN") return std::string("tok-1234567890");
    if (name == "PLAIN_VALUE") return std::string("not-a-secret-value");
    if (name == "AUTH_BLOB") return std::string("dXNlcjpwYXNz");
    return std::nullopt;
  };
  const auto result = load_suite({{"s.yaml", suite, "yaml"}}, options);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(redact("calling with tok-1234567890"), "calling with ***");
  EXPECT_EQ(redact("Basic dXNlcjpwYXNz"), "***");
  EXPECT_EQ(redact("not-a-secret-value"), "not-a-secret-value");
}

// Credentials written into a suite's URLs and a command's secret-looking
// variables are masked wherever they turn up, a command's output included.
TEST(SuiteLoader, CredentialsInUrlsAndCommandVariablesAreRedacted) {
  const std::string suite =
      "apiVersion: chaosgate/v1\ncatalog:\n  teams: [{id: t}]\n  services: [{id: s, owner: t, targets: [x]}]\n"
      "  incidentCategories: [{id: c, title: C}]\nexperiments:\n  - id: e\n    title: T\n    service: s\n"
      "    hypothesis: H\n    incidentCategory: c\n    attackGroup: state\n    risk: {likelihood: 1, impact: 1}\n"
      "    status: promoted\n    followUp: [f]\n    steadyState:\n      - name: p\n"
      "        http: {url: \"http://admin:url-pw-5521@127.0.0.1:1/h?access_token=url-tok-5522\"}\n"
      "    observe:\n      - name: q\n        every: 1s\n        tolerance: {successRatio: \">= 0.9\"}\n"
      "        prometheus: {url: \"https://url-tok-5523@prom.example\", query: up}\n"
      "        expect: {value: \">= 1\"}\n"
      "    method:\n      - name: f\n        fault: true\n"
      "        command: {argv: [\"true\"], env: {DEPLOY_TOKEN: env-tok-5524, REGION: eu-west-5525}}\n"
      "        rollback: []\n";
  const auto result = load_suite({{"s.yaml", suite, "yaml"}}, LoadOptions{});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(redact("out: url-pw-5521 url-tok-5522 url-tok-5523 env-tok-5524"), "out: *** *** *** ***");
  EXPECT_EQ(redact("eu-west-5525"), "eu-west-5525");
}

}  // namespace chaosgate
