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

// Reaps the child when it has ended; false while it still runs.
bool reaped(pid_t pid, int& status) {
  for (;;) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) return true;
    if (done < 0 && errno == EINTR) continue;
    return done < 0;  // ECHILD: nothing left to wait for
  }
}

// Reaps the child; when it does not end by itself before `until`, returns
// false. Waits on a pidfd, which becomes readable the moment the child exits
// (polling waitpid() every 2 ms added up to 2 ms to every command); the 2 ms
// polling stays for kernels without pidfd_open.
bool wait_child(pid_t pid, int pidfd, int& status, SteadyClock::time_point until) {
  for (;;) {
    if (reaped(pid, status)) return true;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - SteadyClock::now()).count();
    if (left <= 0) return false;
    if (pidfd >= 0) {
      pollfd exited{pidfd, POLLIN, 0};
      poll(&exited, 1, static_cast<int>(std::min<long long>(left, 1000)));
    } else {
      usleep(2000);
    }
  }
}

// Reads what the pipe holds now (it is non-blocking), keeping at most
// `max_output` bytes in total. False once the pipe is closed (EOF or an
// error): every holder of its write end is gone. `budget` bounds one call, so
// a writer faster than this reader cannot keep it here.
bool read_available(int fd, std::string& output, std::size_t max_output, std::size_t budget = 256 * 1024) {
  char buffer[4096];
  for (std::size_t taken = 0; taken < budget;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK;
    if (n == 0) return false;
    taken += static_cast<std::size_t>(n);
    if (output.size() < max_output)
      output.append(buffer, std::min<std::size_t>(static_cast<std::size_t>(n), max_output - output.size()));
  }
  return true;
}

}  // namespace

ProcessResult run_process(const CommandSpec& command, std::chrono::milliseconds timeout, std::size_t max_output,
                          const Cancellation* stop) {
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

  // The command is done when its process exits, not when its output
  // closes: a background child it left holding the pipe (`sleep 60 &`) must
  // not make a finished command wait for it, or time out. The loop wakes on
  // output, on the exit (a pidfd) and every 100 ms to look at `stop`.
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  fcntl(pipe_fds[0], F_SETFL, O_NONBLOCK);
  const auto until = start + timeout;
  const int slice_ms = pidfd >= 0 ? 100 : 2;  // without a pidfd, the exit is found by waitpid()
  bool output_open = true, exited = false;
  int status = 0;
  for (;;) {
    if (reaped(pid, status)) {
      exited = true;
      break;
    }
    if (stop != nullptr && stop->cancelled()) {
      result.cut_short = true;
      break;
    }
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - SteadyClock::now()).count();
    if (left <= 0) {
      result.timed_out = true;
      break;
    }
    pollfd fds[2];
    nfds_t count = 0;
    if (output_open) fds[count++] = {pipe_fds[0], POLLIN, 0};
    if (pidfd >= 0) fds[count++] = {pidfd, POLLIN, 0};
    const int wait_ms = static_cast<int>(std::min<long long>(left, slice_ms));
    if (count == 0) usleep(static_cast<useconds_t>(wait_ms) * 1000);
    else if (poll(fds, count, wait_ms) < 0 && errno != EINTR) break;
    if (output_open && fds[0].revents != 0) output_open = read_available(pipe_fds[0], result.output, max_output);
  }
  if (exited && output_open) read_available(pipe_fds[0], result.output, max_output);  // written before it exited
  close(pipe_fds[0]);

  if (!exited) {
    // Timed out, cut short, or poll failed: stop the whole group, politely first.
    kill(-pid, SIGTERM);
    if (!wait_child(pid, pidfd, status, SteadyClock::now() + std::chrono::seconds(1))) {
      kill(-pid, SIGKILL);
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
    }
    if (!result.cut_short) result.timed_out = true;
  }
  if (pidfd >= 0) close(pidfd);
  // Leftovers of the group (a background child) go with it.
  kill(-pid, SIGKILL);
  result.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - start);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
  if (result.timed_out) result.error = "timed out after " + format_duration(timeout);
  if (result.cut_short) result.error = "cut short: " + stop->reason();
  return result;
}

}  // namespace chaosgate::process
