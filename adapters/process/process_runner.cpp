#include "process/process_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

extern char** environ;

namespace chaosgate::process {

namespace {

using SteadyClock = std::chrono::steady_clock;

// The child's environment: ours, with the command's own variables on top.
std::vector<std::string> child_environment(const CommandSpec& command) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry; ++entry) {
    const std::string text = *entry;
    const auto name = text.substr(0, text.find('='));
    if (!command.env.count(name)) env.push_back(text);
  }
  for (const auto& [name, value] : command.env) env.push_back(name + "=" + value);
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Reaps the child; when it does not end by itself before `until`, returns false.
// Waits on a pidfd, which becomes readable the moment the child exits: a
// command that closed its output is usually still exiting, and polling
// waitpid() every 2 ms added up to 2 ms to every command (its measured
// duration included). The 2 ms polling stays for kernels without pidfd_open.
bool wait_child(pid_t pid, int& status, SteadyClock::time_point until) {
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  for (;;) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid || (done < 0 && errno != EINTR)) {
      if (pidfd >= 0) close(pidfd);
      return true;
    }
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - SteadyClock::now()).count();
    if (left <= 0) {
      if (pidfd >= 0) close(pidfd);
      return false;
    }
    if (pidfd >= 0) {
      pollfd exited{pidfd, POLLIN, 0};
      poll(&exited, 1, static_cast<int>(std::min<long long>(left, 1000)));
    } else {
      usleep(2000);
    }
  }
}

}  // namespace

ProcessResult run_process(const CommandSpec& command, std::chrono::milliseconds timeout, std::size_t max_output) {
  ProcessResult result;
  std::vector<std::string> argv = command.shell ? std::vector<std::string>{"/bin/sh", "-c", command.argv.at(0)} : command.argv;
  if (argv.empty()) {
    result.error = "empty argv";
    return result;
  }
  std::vector<std::string> env = child_environment(command);
  auto argv_pointers = pointers(argv);
  auto env_pointers = pointers(env);

  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    result.error = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Own process group: a timeout kills the command and everything it started.
  // Default signal mask: the gate blocks SIGINT/SIGTERM, its children must not.
  sigset_t no_signals;
  sigemptyset(&no_signals);
  posix_spawnattr_setsigmask(&attributes, &no_signals);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);

  const auto start = SteadyClock::now();
  pid_t pid = 0;
  const int spawn_error = posix_spawnp(&pid, argv[0].c_str(), &actions, &attributes, argv_pointers.data(), env_pointers.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  close(pipe_fds[1]);
  if (spawn_error != 0) {
    close(pipe_fds[0]);
    result.error = argv[0] + ": " + std::strerror(spawn_error);
    return result;
  }
  result.started = true;

  const auto until = start + timeout;
  char buffer[4096];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - SteadyClock::now()).count();
    if (left <= 0) {
      result.timed_out = true;
      break;
    }
    pollfd fd{pipe_fds[0], POLLIN, 0};
    const int ready = poll(&fd, 1, static_cast<int>(std::min<long long>(left, 100)));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    const ssize_t n = read(pipe_fds[0], buffer, sizeof buffer);
    if (n <= 0) break;  // EOF: the command (and its children) closed the output
    if (result.output.size() < max_output)
      result.output.append(buffer, std::min<std::size_t>(static_cast<std::size_t>(n), max_output - result.output.size()));
  }
  close(pipe_fds[0]);

  int status = 0;
  if (result.timed_out || !wait_child(pid, status, std::max(until, SteadyClock::now() + std::chrono::milliseconds(50)))) {
    result.timed_out = true;
    kill(-pid, SIGTERM);
    if (!wait_child(pid, status, SteadyClock::now() + std::chrono::seconds(1))) {
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
    }
  }
  // Leftovers of the group (a background child) go with it.
  kill(-pid, SIGKILL);
  result.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - start);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
  if (result.timed_out) result.error = "timed out after " + format_duration(timeout);
  return result;
}

}  // namespace chaosgate::process
