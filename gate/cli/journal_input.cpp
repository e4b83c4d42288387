#include "cli/journal_input.h"

#include <algorithm>
#include <filesystem>

#include "journal_file.h"

namespace chaosgate::cli {

std::vector<insight::JournalRun> read_journals(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<insight::JournalRun> journals;
  for (const auto& path : paths) {
    std::error_code ignored;  // not a directory: read_journal names the file's problem
    const std::string file = fs::is_directory(path, ignored) ? (fs::path(path) / "journal.json").string() : path;
    journals.push_back({file, read_journal(file)});
  }
  std::stable_sort(journals.begin(), journals.end(), [](const auto& a, const auto& b) { return a.run.started < b.run.started; });
  return journals;
}

}  // namespace chaosgate::cli
