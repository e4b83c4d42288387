#include "model/experiment_record.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "load/suite_loader.h"
#include "support/files.h"

namespace chaosgate {
namespace {

Comparison bound(CompareOp op, double value, bool is_duration) { return {op, value, is_duration}; }

// Every field of every part set away from its defaults, each kind of probe
// and action once: a field the record leaves out comes back as its default.
Experiment every_field_set() {
  const FileName file("suites/every-field.yaml");
  Experiment e;
  e.id = "every-field";
  e.title = "Every field";
  e.owner = "checkout";
  e.service = "cart";
  e.targets = {"redis", "cart"};
  e.hypothesis = "the cart survives";
  e.incident_category = "cache-outage";
  e.attack_group = AttackGroup::dependency;
  e.preparation_cost = PreparationCost::high;
  e.risk = {4, 5};
  e.status = LifecycleStatus::promoted;
  e.tags = {"redis", "drill"};
  e.always = true;
  e.allow_production = true;
  e.timeout = Millis(123456);
  e.recovery_time = Millis(7890);
  e.retries = 2;
  e.location = {file, 12, 3};
  const FieldPlace places[] = {{LocatedField::owner, 14, 12}, {LocatedField::status, 20, 13}};
  e.field_locations.assign(file, places);

  Probe http;
  http.name = "cart answers";
  http.kind = ProbeKind::http;
  http.every = Millis(250);
  http.location = {file, 30, 7};
  http.http() = {"POST", "http://127.0.0.1:8080/cart", {{"Accept", "application/json"}, {"X-Trace", "1"}}, "{}", Millis(900)};
  http.expect().status_codes = {200, 201};
  http.expect().status_range = std::pair(200, 299);
  http.expect().body_contains = "ok";
  http.expect().body_regex = "o+k";
  http.expect().json = {{"/status", "\"ok\"", bound(CompareOp::greater, 3, false)}};
  http.expect().latency = bound(CompareOp::less_equal, 800, true);
  http.expect().exit_code = 3;
  http.expect().value = bound(CompareOp::not_equal, 1.5, false);
  http.tolerance() = {bound(CompareOp::greater_equal, 0.95, false), bound(CompareOp::less, 100, true),
                      bound(CompareOp::less, 200, true), bound(CompareOp::less, 300, true)};
  Probe tcp;
  tcp.name = "redis port";
  tcp.kind = ProbeKind::tcp;
  tcp.location = {file, 40, 7};
  tcp.tcp() = {"127.0.0.1", 6379, Millis(300)};
  Probe command;
  command.name = "queue drained";
  command.kind = ProbeKind::command;
  command.location = {FileName("suites/other.yaml"), 2, 1};  // a second file's name in the same record
  command.command() = {{"/bin/sh", "-c", "exit 0"}, true, {{"LANG", "C"}}, Millis(4000)};
  Probe prometheus;
  prometheus.name = "error rate";
  prometheus.kind = ProbeKind::prometheus;
  prometheus.prometheus() = {"http://127.0.0.1:9090", "rate(errors[1m])", Millis(1500)};
  e.steady_state = {http, tcp};
  e.observe = {command};
  e.stop_conditions = {prometheus};

  Action signal;
  signal.name = "pause redis";
  signal.kind = ActionKind::signal;
  signal.fault = true;
  signal.location = {file, 50, 7};
  signal.signal() = {"/run/redis.pid", "SIGSTOP"};
  Action resume;
  resume.name = "resume redis";
  resume.kind = ActionKind::signal;
  resume.signal() = {"/run/redis.pid", "SIGCONT"};
  Action nested;
  nested.name = "say so";
  nested.kind = ActionKind::command;
  nested.command().argv = {"true"};
  nested.expect().exit_code = 0;
  resume.rollback = {nested};
  signal.rollback = {resume};
  Action pause;  // no settings, no expectation: both stay unset
  pause.name = "wait";
  pause.kind = ActionKind::pause;
  pause.pause = Millis(1000);
  Action network;
  network.name = "latency";
  network.kind = ActionKind::network;
  network.fault = true;
  network.network() = {"http://127.0.0.1:8474", "redis", "latency_downstream", "{\"type\":\"latency\"}", true, true, true};
  Action call;
  call.name = "flush";
  call.kind = ActionKind::http;
  call.http() = {"DELETE", "http://127.0.0.1:8080/cache", {}, "", Millis(700)};
  call.expect().status_codes = {204};
  e.method = {signal, pause, network};
  e.rollbacks = {call};
  e.follow_up = {{"Investigate", "why the cart failed"}, {"Add a breaker", ""}};
  return e;
}

std::string record_of(const Experiment& experiment) {
  std::string record;
  ExperimentRecord::write(experiment, record);
  return record;
}

TEST(ExperimentRecord, EveryFieldComesBackEqual) {
  const Experiment written = every_field_set();
  const std::string record = record_of(written);
  const Experiment read = ExperimentRecord::read(record);
  EXPECT_EQ(read, written);
  EXPECT_EQ(record_of(read), record);  // the parts left unset came back unset
  // Equality must see what the record carries: one field off is told.
  Experiment changed = read;
  changed.method[0].rollback[0].rollback[0].command().argv = {"false"};
  EXPECT_NE(changed, written);
}

TEST(ExperimentRecord, AKindsSettingsNotWrittenComeBackNotWritten) {
  Action written;
  written.name = "wait";
  written.kind = ActionKind::pause;
  written.pause = Millis(5);
  Experiment experiment;
  experiment.method = {written};
  const Experiment read = ExperimentRecord::read(record_of(experiment));
  ASSERT_EQ(read.method.size(), 1U);
  EXPECT_EQ(read.method[0], written);  // Boxed's equality tells unset from written with its defaults
  Action defaults_written = written;
  defaults_written.command();
  EXPECT_NE(read.method[0], defaults_written);
}

TEST(ExperimentRecord, EveryExperimentOfTheRepositorysSuitesComesBackEqual) {
  LoadOptions options;
  // The e2e suites name their servers by variables; the examples give defaults.
  options.process_variables = [](const std::string& name) -> std::optional<std::string> {
    if (name.ends_with("_URL") || name.ends_with("_API")) return "http://127.0.0.1:1";
    if (name.ends_with("_PORT")) return "1";
    if (name.ends_with("_HOST")) return "127.0.0.1";
    return std::nullopt;
  };
  std::size_t experiments = 0;
  std::vector<std::string> suites;
  for (const char* folder : {"examples", "tests"}) {
    const std::string root = std::string(CHAOSGATE_SOURCE_DIR) + "/" + folder;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      const auto extension = entry.path().extension();
      if (extension != ".yaml" && extension != ".json") continue;
      const std::string relative = std::filesystem::relative(entry.path(), CHAOSGATE_SOURCE_DIR).string();
      const LoadResult loaded = load_suite({test::repo_source(relative)}, options);
      if (!loaded.ok()) continue;  // not a suite, or broken on purpose
      suites.push_back(relative);
      for (const auto& experiment : loaded.suite.experiments) {
        EXPECT_EQ(ExperimentRecord::read(record_of(experiment)), experiment) << relative << ": " << experiment.id;
        ++experiments;
      }
    }
  }
  for (const char* suite : {"examples/shop-suite.yaml", "examples/kubernetes-suite.yaml", "tests/e2e/suites/network-actions.yaml"})
    EXPECT_NE(std::find(suites.begin(), suites.end(), suite), suites.end()) << suite << " did not load";
  EXPECT_GE(experiments, 20U);
}

TEST(ExperimentRecord, ARecordCutShortOrWithBytesLeftIsRefused) {
  const std::string record = record_of(every_field_set());
  for (std::size_t length = 0; length < record.size(); ++length)
    EXPECT_THROW(ExperimentRecord::read(std::string_view(record).substr(0, length)), RecordError) << length;
  EXPECT_THROW(ExperimentRecord::read(record + '\0'), RecordError);
}

// A spool file damaged on disk: every count and number is checked against
// the bytes left before anything is sized by it (ASan and UBSan run this).
TEST(ExperimentRecord, ACorruptedRecordIsReadOrRefusedNeverPastItsEnd) {
  const std::string record = record_of(every_field_set());
  std::mt19937 random(20261206);
  int refused = 0;
  for (int round = 0; round < 5000; ++round) {
    std::string damaged = record;
    for (int flips = 1 + static_cast<int>(random() % 4); flips > 0; --flips)
      damaged[random() % damaged.size()] = static_cast<char>(random());
    try {
      ExperimentRecord::read(damaged);
    } catch (const RecordError&) {
      ++refused;
    }
  }
  EXPECT_GT(refused, 0);
}

TEST(ExperimentRecord, AnotherVersionOrAFlagOutOfRangeIsRefused) {
  std::string record = record_of(Experiment{});
  std::string other_version = record;
  other_version[0] = 2;
  try {
    ExperimentRecord::read(other_version);
    FAIL() << "read a record of another version";
  } catch (const RecordError& e) {
    EXPECT_NE(std::string(e.what()).find("version 2"), std::string::npos) << e.what();
  }
  // An empty experiment: version, then id, title, owner, service (4-byte
  // sizes), targets, hypothesis, category, group, cost (1-byte enums), risk
  // (two ints), status, tags, then `always`.
  const std::size_t always = 1 + 4 * 4 + 4 + 4 + 4 + 1 + 1 + 8 + 1 + 4;
  ASSERT_EQ(record[always], 0);
  record[always] = 7;
  EXPECT_THROW(ExperimentRecord::read(record), RecordError);
}

// A kind no switch knows would have an action do nothing (a rollback, say).
TEST(ExperimentRecord, AnEnumerationPastItsLastValueIsRefused) {
  Action wait;
  wait.kind = ActionKind::pause;
  Experiment experiment;
  experiment.method = {wait};
  std::string record = record_of(experiment);
  ASSERT_EQ(ExperimentRecord::read(record), experiment);
  // The version, the empty experiment's fields up to `retries` (as above,
  // then both flags, two durations and the retries), two empty probe lists,
  // the method's count, the action's empty name, then its kind.
  const std::size_t kind = 1 + 4 * 4 + 4 + 4 + 4 + 1 + 1 + 8 + 1 + 4 + 1 + 1 + 8 + 8 + 4 + 4 + 4 + 4 + 4;
  ASSERT_EQ(record[kind], static_cast<char>(ActionKind::pause));
  record[kind] = static_cast<char>(static_cast<int>(ActionKind::network) + 1);
  try {
    ExperimentRecord::read(record);
    FAIL() << "read an action of kind 5";
  } catch (const RecordError& e) {
    EXPECT_NE(std::string(e.what()).find("enumeration holds 5"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace chaosgate
