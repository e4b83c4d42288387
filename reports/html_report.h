#pragma once
// report.html (written with --html): one self-contained page for the people
// who look into a run, with no script and nothing loaded from elsewhere. The
// verdict and what surrounded it, then each experiment that did not pass with
// a timeline per attempt (timeline_svg.h: every probe before / during / after
// the fault, the fault window shaded), then a table of every experiment.
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "model/run_result.h"

namespace chaosgate {

struct HtmlReportOptions {
  // Experiment id -> ticket URL (linked) or key (shown as text).
  std::map<std::string, std::string> ticket_links;
  // Experiments that did not pass shown with their timelines, most severe
  // first (failed, aborted, error, flaky; plan order within each); the rest
  // are counted and left to journal.json.
  std::size_t max_charted = 100;
  // Rows of the table of every experiment; past it, a last row counts the rest.
  std::size_t max_rows = 20'000;
  // Per probe row of a timeline (timeline_svg.h).
  std::size_t max_points = 300;
};

// The page as one string (HTML5, UTF-8; also well-formed XML, which the tests
// rely on). Never throws for any RunResult.
std::string html_report(const RunResult& run, const HtmlReportOptions& options = {});

// The same page handed to `out` in pieces of about 64 KiB.
void write_html_report(const RunResult& run, const std::function<void(std::string_view)>& out,
                       const HtmlReportOptions& options = {});

}  // namespace chaosgate
