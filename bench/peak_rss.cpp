// Runs a command and writes its peak resident set size (KiB) and exit code to
// a file: `peak_rss RESULT_FILE COMMAND [ARGS...]` (bench/run's measure()).
// Python cannot measure it itself: a child it forks starts with the
// interpreter's own peak (Linux carries an mm's high-water mark across exec
// into the process's ru_maxrss), so every command "peaked" at Python's ~16 MiB
// at least. Forked from this small process, the floor is this process's size.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: peak_rss RESULT_FILE COMMAND [ARGS...]\n");
    return 2;
  }
  const pid_t pid = fork();
  if (pid < 0) return 2;
  if (pid == 0) {
    execvp(argv[2], argv + 2);
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) != pid) return 2;
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  FILE* out = std::fopen(argv[1], "w");
  if (out == nullptr) return 2;
  std::fprintf(out, "%ld %d\n", usage.ru_maxrss, code);
  std::fclose(out);
  return code;
}
