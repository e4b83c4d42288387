#include "vcs/git_changes.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "process/process_runner.h"
#include "util/errors.h"
#include "util/text.h"

namespace chaosgate::vcs {

namespace {

// A file name for `git diff --output`, removed when done.
class TempFile {
public:
  TempFile() {
    const char* base = std::getenv("TMPDIR");
    m_path = std::string(base && *base ? base : "/tmp") + "/chaosgate-git-XXXXXX";
    const int fd = ::mkstemp(m_path.data());
    if (fd < 0) throw UserError("cannot create a temporary file in " + m_path.substr(0, m_path.rfind('/')) + " for git's output");
    ::close(fd);
  }
  ~TempFile() { ::unlink(m_path.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return m_path; }

private:
  std::string m_path;
};

struct GitRun {
  std::string command;  // as shown in messages
  process::ProcessResult result;
  bool ok() const { return result.started && !result.timed_out && result.exit_code == 0; }
  // "git ... failed (exit 128): fatal: ..." on one line, bounded.
  std::string failure() const {
    std::string why = !result.started ? result.error
                      : result.timed_out ? result.error
                                         : "exit " + std::to_string(result.exit_code);
    std::string said = result.output;
    for (char& c : said)
      if (c == '\n' || c == '\r') c = ' ';
    while (!said.empty() && said.back() == ' ') said.pop_back();
    if (said.size() > 600) said = said.substr(0, 600) + "...";
    return command + " failed (" + why + ")" + (said.empty() ? "" : ": " + said);
  }
};

GitRun git(const std::vector<std::string>& arguments, const GitOptions& options) {
  CommandSpec spec;
  spec.argv = {"git", "-C", options.repository};
  spec.argv.insert(spec.argv.end(), arguments.begin(), arguments.end());
  // Never wait for a credential prompt; messages in one language for the logs.
  spec.env = {{"GIT_TERMINAL_PROMPT", "0"}, {"LC_ALL", "C"}};
  return {join(spec.argv, " "), process::run_process(spec, options.timeout)};
}

// What to do about the usual cause in CI: a shallow clone without the target.
constexpr const char* k_fetch_hint =
    "; fetch the target branch's history (GitLab: GIT_DEPTH: 0, GitHub: fetch-depth: 0), or pass --changed-files";

std::string first_line(const std::string& text) { return text.substr(0, text.find_first_of("\r\n")); }

}  // namespace

std::string merge_base(const std::string& ref, const GitOptions& options) {
  const GitRun run = git({"merge-base", "HEAD", ref}, options);
  if (!run.ok()) throw UserError(run.failure() + k_fetch_hint);
  return first_line(run.result.output);
}

std::string merge_base_with_branch(const std::string& branch, const GitOptions& options) {
  const GitRun remote = git({"merge-base", "HEAD", "origin/" + branch}, options);
  if (remote.ok()) return first_line(remote.result.output);
  const GitRun local = git({"merge-base", "HEAD", branch}, options);
  if (local.ok()) return first_line(local.result.output);
  throw UserError(remote.failure() + "; " + local.failure() + k_fetch_hint);
}

std::vector<std::string> changed_files(const std::string& base, const GitOptions& options) {
  // --output keeps the list apart from git's warnings (the runner interleaves
  // stdout and stderr) and from the runner's output bound on big changes.
  const TempFile listing;
  const GitRun run = git({"diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", "--output=" + listing.path(), base, "HEAD"},
                         options);
  if (!run.ok()) throw UserError(run.failure() + k_fetch_hint);
  std::ifstream in(listing.path(), std::ios::binary);
  std::vector<std::string> files;
  std::string file;
  while (std::getline(in, file, '\0'))
    if (!file.empty()) files.push_back(file);
  return files;
}

}  // namespace chaosgate::vcs
