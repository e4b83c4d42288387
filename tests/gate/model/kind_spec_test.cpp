#include "model/suite.h"

#include <gtest/gtest.h>

#include <utility>

namespace chaosgate {

// A probe or action holds one kind's settings; the others read as their
// defaults, which the definition digests rely on (they read every kind's).
TEST(KindSpec, AKindNotHeldReadsAsItsDefaults) {
  Probe probe;
  probe.kind = ProbeKind::tcp;
  probe.tcp() = {"127.0.0.1", 6379, Millis(250)};
  const Probe& read = probe;
  EXPECT_EQ(read.tcp().port, 6379);
  EXPECT_EQ(read.http().method, "GET");
  EXPECT_EQ(read.http().timeout, Millis(5000));
  EXPECT_TRUE(read.command().argv.empty());
  EXPECT_EQ(read.prometheus().timeout, Millis(5000));
  EXPECT_EQ(read.tcp().port, 6379);  // reading another kind left the held one alone
}

TEST(KindSpec, WritingAnotherKindReplacesTheHeldOne) {
  Action action;
  action.signal().pid_file = "/run/redis.pid";
  action.signal().signal = "SIGSTOP";
  EXPECT_EQ(std::as_const(action).signal().signal, "SIGSTOP");
  action.network().proxy = "redis";
  EXPECT_EQ(std::as_const(action).network().proxy, "redis");
  EXPECT_EQ(std::as_const(action).signal().signal, "SIGTERM");  // the default again
  EXPECT_TRUE(std::as_const(action).signal().pid_file.empty());
}

TEST(KindSpec, CopiesCarryTheHeldKind) {
  Action fault;
  fault.network().toxic_name = "latency_downstream";
  Action undo = fault;
  undo.network().remove = true;
  EXPECT_EQ(std::as_const(undo).network().toxic_name, "latency_downstream");
  EXPECT_FALSE(std::as_const(fault).network().remove);
}

TEST(KindSpec, ProbesAndActionsAreSmall) {
  // Most of a loaded suite: they held every kind's settings (760 / 744
  // bytes), then the largest kind's and an expectation inline (560 / 464).
  EXPECT_LE(sizeof(Probe), 128u);
  EXPECT_LE(sizeof(Action), 128u);
}

// The expectation and the tolerance are boxed like the kind's settings:
// unset, they read as their defaults (the judge and the digests rely on it).
TEST(KindSpec, AnUnsetExpectationOrToleranceReadsAsItsDefaults) {
  const Probe probe;
  EXPECT_TRUE(probe.expect().status_codes.empty());
  EXPECT_FALSE(probe.expect().latency.has_value());
  EXPECT_EQ(probe.tolerance().success_ratio.to_string(), Tolerance{}.success_ratio.to_string());
  EXPECT_FALSE(probe.tolerance().latency_p95.has_value());
}

TEST(KindSpec, CopiesOfABoxedPartAreDeep) {
  Probe sampled;
  sampled.expect().status_codes = {200};
  sampled.tolerance().latency_p95 = parse_comparison("<= 800ms");
  Probe copy = sampled;
  copy.expect().status_codes.push_back(204);
  copy.tolerance().latency_p95.reset();
  EXPECT_EQ(std::as_const(sampled).expect().status_codes, std::vector<int>{200});
  EXPECT_TRUE(std::as_const(sampled).tolerance().latency_p95.has_value());
  copy = sampled;  // assignment copies too
  EXPECT_EQ(std::as_const(copy).expect().status_codes, std::vector<int>{200});
  Probe moved = std::move(copy);
  EXPECT_EQ(std::as_const(moved).expect().status_codes, std::vector<int>{200});
}

}  // namespace chaosgate
