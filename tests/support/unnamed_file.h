#pragma once
// Reaching a file that has no name (a journal spool: O_TMPFILE) from a test.
#include <filesystem>
#include <string>
#include <system_error>

namespace chaosgate::test {

// The descriptor this process holds on an unnamed file in `dir`
// (/proc/self/fd shows it as "dir/#N (deleted)"); -1 when there is none.
inline int unnamed_file_fd_in(const std::string& dir) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code error;
    const auto target = std::filesystem::read_symlink(entry.path(), error).string();
    if (!error && target.rfind(dir + "/", 0) == 0) return std::stoi(entry.path().filename());
  }
  return -1;
}

}  // namespace chaosgate::test
