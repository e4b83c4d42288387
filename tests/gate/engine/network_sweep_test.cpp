#include "engine/network_sweep.h"

#include <gtest/gtest.h>

#include "support/fake_drivers.h"

namespace chaosgate {
namespace {

Action toxic(const std::string& api, const std::string& proxy, const std::string& name, bool reset_on_interrupt = false) {
  Action action;
  action.kind = ActionKind::network;
  action.name = "add " + name;
  action.fault = true;
  action.network().api = api;
  action.network().proxy = proxy;
  action.network().toxic_name = name;
  action.network().reset_on_interrupt = reset_on_interrupt;
  return action;
}

Experiment experiment(const std::string& id, std::vector<Action> method) {
  Experiment e;
  e.id = id;
  e.method = std::move(method);
  return e;
}

// The sweep of these experiments, added one at a time as a run reads them back.
NetworkSweep sweep_of(const std::vector<const Experiment*>& ran) {
  NetworkSweep sweep;
  for (const Experiment* experiment : ran) sweep.add(*experiment);
  return sweep;
}

std::vector<std::string> names(const std::vector<Action>& actions) {
  std::vector<std::string> out;
  for (const auto& action : actions) out.push_back(action.name);
  return out;
}

TEST(NetworkSweep, RemovesEachToxicOnceByNameAndResetsOnlyOptedInApisAfterAnInterrupt) {
  Action pause;
  pause.kind = ActionKind::pause;
  const Experiment a = experiment("a", {toxic("http://p:1", "redis", "slow"), pause, toxic("http://p:2", "db", "cut", true)});
  const Experiment b = experiment("b", {toxic("http://p:1", "redis", "slow"), toxic("http://p:2", "db", "drop", true)});
  const auto interrupted = sweep_of({&a, &b}).actions(true);
  EXPECT_EQ(names(interrupted), (std::vector<std::string>{"sweep: remove toxic slow from redis", "sweep: remove toxic cut from db",
                                                          "sweep: remove toxic drop from db", "sweep: reset http://p:2"}));
  EXPECT_TRUE(interrupted[0].network().remove);
  EXPECT_TRUE(interrupted[3].network().reset);
  // Not interrupted (a failed rollback): no reset, whatever the suite says.
  EXPECT_EQ(sweep_of({&a, &b}).actions(false).size(), 3u);
}

TEST(NetworkSweep, AMethodStepThatRemovesAToxicIsNotSwept) {
  Action plain = toxic("http://p:1", "redis", "slow");
  plain.fault = false;
  plain.network().remove = true;
  const Experiment a = experiment("a", {plain});
  EXPECT_TRUE(sweep_of({&a}).actions(true).empty());
}

TEST(NetworkSweep, PerformsEveryActionAndRecordsEachAsARollback) {
  test::FakeActionDriver driver;
  driver.fail("sweep: remove toxic cut from db");
  const Experiment a = experiment("a", {toxic("http://p:1", "redis", "slow"), toxic("http://p:2", "db", "cut")});
  const auto records = sweep_of({&a}).perform(true, driver, std::chrono::milliseconds(100));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(records[0].ok && records[0].rollback);
  EXPECT_FALSE(records[1].ok);  // a failure does not stop the sweep, and is reported
  EXPECT_EQ(driver.performed().size(), 2u);
}

}  // namespace
}  // namespace chaosgate
