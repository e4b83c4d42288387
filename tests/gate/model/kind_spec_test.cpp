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
  // Most of a loaded suite: they held every kind's settings (760 / 744 bytes).
  EXPECT_LT(sizeof(Probe), 600u);
  EXPECT_LT(sizeof(Action), 500u);
}

}  // namespace chaosgate
