#include "process/process_runner.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>

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

}  // namespace chaosgate::process
