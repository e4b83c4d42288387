// Runs a command and writes its peak resident set size (KiB), exit code and
// wall time (ns, from just before fork to the reap) to a file:
// `peak_rss RESULT_FILE COMMAND [ARGS...]` (bench/run's measure()).
// Python cannot measure either itself. A child it forks starts with the
// interpreter's own peak (Linux carries an mm's high-water mark across exec
// into the process's ru_maxrss), so every command "peaked" at Python's ~16 MiB
// at least. And its clock around Popen/wait adds the interpreter forking this
// wrapper (~4-5 ms on a PVM guest), which is not the measured command's time.
// Forked from this small process, the floor of both is this process's own.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>

namespace {

long long now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<long long>(ts.tv_sec) * 1'000'000'000LL + ts.tv_nsec;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: peak_rss RESULT_FILE COMMAND [ARGS...]\n");
    return 2;
  }
  const long long started = now_ns();
  const pid_t pid = fork();
  if (pid < 0) return 2;
  if (pid == 0) {
    execvp(argv[2], argv + 2);
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) != pid) return 2;
  const long long wall = now_ns() - started;
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  FILE* out = std::fopen(argv[1], "w");
  if (out == nullptr) return 2;
  std::fprintf(out, "%ld %d %lld\n", usage.ru_maxrss, code, wall);
  std::fclose(out);
  return code;
}
