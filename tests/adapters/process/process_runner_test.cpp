#include "process/process_runner.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "support/cancel_after.h"
#include "support/temp_dir.h"

namespace chaosgate::process {

namespace {
CommandSpec argv(std::vector<std::string> words) {
  CommandSpec command;
  command.argv = std::move(words);
  return command;
}
// Running or stopped; a zombie (killed, not yet reaped by its new parent) is dead.
bool alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string pid_field, name, state;
  if (!(stat >> pid_field >> name >> state)) return false;
  return state != "Z" && state != "X";
}
pid_t read_pid(const std::string& path) {
  pid_t pid = 0;
  for (int i = 0; i < 200 && pid == 0; ++i) {
    std::ifstream in(path);
    if (!(in >> pid)) usleep(10000);
  }
  return pid;
}
bool ends_within(pid_t pid, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (alive(pid) && std::chrono::steady_clock::now() < until) usleep(10000);
  return !alive(pid);
}
}  // namespace

TEST(ProcessRunner, CapturesOutputAndExitCode) {
  const auto result = run_process(argv({"sh", "-c", "echo out; echo err >&2; exit 3"}), std::chrono::seconds(5));
  EXPECT_TRUE(result.started);
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.output.find("out"), std::string::npos);
  EXPECT_NE(result.output.find("err"), std::string::npos);
}

TEST(ProcessRunner, ArgvIsNotAShell) {
  // With argv, shell syntax is a literal argument.
  const auto result = run_process(argv({"echo", "$HOME;", "&&", "false"}), std::chrono::seconds(5));
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.output, "$HOME; && false\n");
  CommandSpec shell;
  shell.shell = true;
  shell.argv = {"echo a && echo b"};
  EXPECT_EQ(run_process(shell, std::chrono::seconds(5)).output, "a\nb\n");
}

TEST(ProcessRunner, EnvironmentIsPassed) {
  CommandSpec command = argv({"sh", "-c", "echo $CHAOSGATE_TEST_VALUE"});
  command.env["CHAOSGATE_TEST_VALUE"] = "from-suite";
  EXPECT_EQ(run_process(command, std::chrono::seconds(5)).output, "from-suite\n");
}

TEST(ProcessRunner, MissingCommandIsNotStarted) {
  const auto result = run_process(argv({"chaosgate-no-such-command"}), std::chrono::seconds(5));
  EXPECT_FALSE(result.started);
  EXPECT_NE(result.error.find("chaosgate-no-such-command"), std::string::npos);
}

TEST(ProcessRunner, TimeoutKillsTheWholeProcessGroup) {
  test::TempDir dir;
  const std::string pid_file = dir.path().string() + "/child.pid";
  // The shell starts a background sleeper, records its pid, then waits: a
  // timeout must take both down, not only the shell.
  const auto start = std::chrono::steady_clock::now();
  const auto result = run_process(argv({"sh", "-c", "sleep 30 & echo $! > " + pid_file + "; wait"}),
                                  std::chrono::milliseconds(300));
  EXPECT_TRUE(result.timed_out);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  std::ifstream in(pid_file);
  pid_t child = 0;
  ASSERT_TRUE(in >> child);
  for (int i = 0; i < 100 && alive(child); ++i) usleep(10000);
  EXPECT_FALSE(alive(child)) << "background child " << child << " survived the timeout";
}

TEST(ProcessRunner, OutputIsBounded) {
  const auto result = run_process(argv({"sh", "-c", "head -c 1000000 /dev/zero"}), std::chrono::seconds(5), 1000);
  EXPECT_EQ(result.output.size(), 1000u);
  EXPECT_EQ(result.exit_code, 0);
}

TEST(ProcessRunner, DoneWhenTheCommandExitsThoughABackgroundChildHoldsItsOutput) {
  test::TempDir dir;
  const std::string pid_file = dir.path().string() + "/child.pid";
  // The sleeper inherits the output pipe: reading to its end would wait 30 s
  // (or time out, though the command succeeded at once).
  const auto start = std::chrono::steady_clock::now();
  const auto result = run_process(argv({"sh", "-c", "sleep 30 & echo $! > " + pid_file + "; echo started"}),
                                  std::chrono::seconds(20));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.output, "started\n");
  const pid_t child = read_pid(pid_file);
  ASSERT_GT(child, 0);
  EXPECT_TRUE(ends_within(child, std::chrono::seconds(2))) << "background child " << child << " outlived its command";
}

TEST(ProcessRunner, CancelledStopCutsTheCommandShortAndKillsItsGroup) {
  test::TempDir dir;
  const std::string pid_file = dir.path().string() + "/child.pid";
  Cancellation stop;
  test::CancelAfter interrupt(stop, std::chrono::milliseconds(300), "interrupted by SIGINT");
  const auto start = std::chrono::steady_clock::now();
  const auto result = run_process(argv({"sh", "-c", "echo before; sleep 30 & echo $! > " + pid_file + "; wait"}),
                                  std::chrono::seconds(60), 64 * 1024, &stop);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, std::chrono::milliseconds(300));
  EXPECT_LT(took, std::chrono::seconds(3));
  EXPECT_TRUE(result.cut_short);
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.error, "cut short: interrupted by SIGINT");
  EXPECT_EQ(result.exit_code, 128 + SIGTERM);
  EXPECT_EQ(result.output, "before\n");
  const pid_t child = read_pid(pid_file);
  ASSERT_GT(child, 0);
  EXPECT_TRUE(ends_within(child, std::chrono::seconds(2))) << "background child " << child << " survived the stop";
}

TEST(ProcessRunner, ACommandThatIgnoresSigtermIsKilledASecondLater) {
  test::TempDir dir;
  const std::string ready = dir.path().string() + "/trapped";
  Cancellation stop;
  // Cancelled once the shell ignores SIGTERM (a cancel before its trap would
  // simply end it).
  std::thread interrupt([&] {
    for (int i = 0; i < 300 && !std::ifstream(ready); ++i) usleep(10000);
    stop.cancel("experiment timeout 5s reached");
  });
  const auto result = run_process(argv({"sh", "-c", "trap '' TERM; touch " + ready + "; sleep 30; sleep 30"}),
                                  std::chrono::seconds(60), 64 * 1024, &stop);
  interrupt.join();
  EXPECT_TRUE(result.cut_short);
  EXPECT_EQ(result.error, "cut short: experiment timeout 5s reached");
  EXPECT_EQ(result.exit_code, 128 + SIGKILL);
  EXPECT_GE(result.elapsed, std::chrono::milliseconds(900));  // SIGTERM, a second's grace, SIGKILL
  EXPECT_LT(result.elapsed, std::chrono::seconds(5));
}

TEST(ProcessRunner, AStopNeverCancelledChangesNothing) {
  Cancellation stop;
  const auto result = run_process(argv({"sh", "-c", "sleep 0.2; echo done"}), std::chrono::seconds(5), 64 * 1024, &stop);
  EXPECT_FALSE(result.cut_short);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.output, "done\n");
  EXPECT_TRUE(result.error.empty());
}

}  // namespace chaosgate::process
