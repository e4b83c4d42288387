#pragma once
// The one entry point the gate calls after every run, interrupted ones too.
#include <cstddef>
#include <map>
#include <string>

#include "journal_copy.h"
#include "journal_spool.h"
#include "model/run_result.h"

namespace chaosgate {

struct ReportOptions {
  // Experiment id -> ticket URL or key, linked from summary.md.
  std::map<std::string, std::string> ticket_links;
  // Upper bound of summary.md in bytes (see summary_markdown.h).
  std::size_t summary_max_chars = 1'000'000;
  // When set, journal.json is this copy of the input journal, put in place
  // instead of being written from `run` (`chaosgate report`).
  JournalCopy* journal_copy = nullptr;
  // When set, the records it holds are copied into journal.json from there
  // (`chaosgate run`: passed experiments' results no longer hold them whole).
  const JournalSpool* journal_spool = nullptr;
  // report.html too (html_report.h): off unless asked for (--html), as one
  // more file made durable costs every run about a millisecond.
  bool html = false;
};

// Creates `out_dir` if needed and writes the reports of `run` into it, each
// file atomically: journal.json, junit.xml, chaosgate.sarif, summary.md and,
// when asked for, report.html.
// Throws std::runtime_error naming the file on an I/O error; the files
// already written stay.
void write_reports(const RunResult& run, const std::string& out_dir, const ReportOptions& options = {});

}  // namespace chaosgate
