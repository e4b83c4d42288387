#pragma once
// summary.md: the merge-request note / job summary. Verdict first, then the
// regressions, incident coverage, then a compact table of every experiment.
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "model/run_result.h"

namespace chaosgate {

struct SummaryOptions {
  // Experiment id -> ticket URL ("https://...") or key ("SHOP-123").
  std::map<std::string, std::string> ticket_links;
  // Upper bound in bytes (so also in characters): under GitLab's 1,000,000-character
  // note limit and GitHub's 1 MiB step summary.
  std::size_t max_chars = 1'000'000;
  // report.html was written too (--html): the closing line names it.
  bool html_report = false;
};

// The Markdown text, at most `options.max_chars` bytes. When the run does not
// fit, whole lines are left out from the end (the table first, then
// regressions), and a last line says how many and points at junit.xml /
// journal.json in the job's artifacts. Text from the run is escaped so it
// cannot open links, HTML or table cells. Never throws for any RunResult.
std::string summary_markdown(const RunResult& run, const SummaryOptions& options = {});

// The same text, handed to `write` piece by piece as it is made (summary.md:
// never held whole).
using SummaryWriter = std::function<void(std::string_view)>;
void write_summary_markdown(const RunResult& run, const SummaryOptions& options, const SummaryWriter& write);

}  // namespace chaosgate
