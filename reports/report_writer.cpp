#include "report_writer.h"

#include <filesystem>
#include <exception>
#include <future>
#include <memory>

#include "util/atomic_file.h"
#include "html_report.h"
#include "journal_file.h"
#include "junit.h"
#include "sarif.h"
#include "summary_markdown.h"

namespace chaosgate {

void write_reports(const RunResult& run, const std::string& out_dir, const ReportOptions& options) {
  std::filesystem::create_directories(out_dir);
  // JUnit, then the summary, are built on a thread of their own while this
  // one writes SARIF and the journal (on two cores, ~0.1 s each for 10,000
  // experiments, after the journal's copy is done); the reports are
  // independent of each other. One after the other, not side by side: each
  // keeps 4 bytes an experiment while it runs (JUnit's grouping by service,
  // the summary's lookup by id), at `run`'s peak, and a third thread on two
  // cores made nothing faster. A JUnit that cannot be written leaves the
  // summary written; when both fail, JUnit's error is the one thrown.
  auto junit_then_summary = std::async(std::launch::async, [&] {
    std::exception_ptr first_error;
    try {
      AtomicFile file(out_dir + "/junit.xml");
      write_junit(run, [&](std::string_view piece) { file.append(piece); });
      file.commit();
    } catch (const std::exception&) {
      first_error = std::current_exception();
    }
    try {
      AtomicFile file(out_dir + "/summary.md");
      write_summary_markdown(run, {options.ticket_links, options.summary_max_chars, options.html},
                             [&](std::string_view piece) { file.append(piece); });
      file.commit();
    } catch (const std::exception&) {
      if (!first_error) first_error = std::current_exception();
    }
    if (first_error) std::rethrow_exception(first_error);
  });
  std::future<void> html;
  if (options.html)
    html = std::async(std::launch::async, [&] {
      AtomicFile file(out_dir + "/report.html");
      write_html_report(run, [&](std::string_view piece) { file.append(piece); }, {options.ticket_links});
      file.commit();
    });
  if (options.journal_copy != nullptr) options.journal_copy->start_commit();
  // SARIF is made while `report`'s copy of the journal may still be running,
  // and put in place after the journal: the journal appears first, as the
  // record every other report can be rebuilt from, and is written even when
  // SARIF cannot be.
  std::unique_ptr<AtomicFile> sarif;
  std::exception_ptr sarif_error;
  try {
    sarif = std::make_unique<AtomicFile>(out_dir + "/chaosgate.sarif");
    write_sarif(run, *sarif);
  } catch (const std::exception&) {
    sarif_error = std::current_exception();
  }
  if (options.journal_copy == nullptr)
    write_journal(run, out_dir + "/journal.json", options.journal_spool);
  else
    options.journal_copy->commit();
  if (sarif_error) std::rethrow_exception(sarif_error);
  sarif->commit();
  junit_then_summary.get();
  if (html.valid()) html.get();
}

}  // namespace chaosgate
