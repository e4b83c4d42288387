#include "report_writer.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "journal_file.h"
#include "junit.h"
#include "sarif.h"
#include "summary_markdown.h"

namespace chaosgate {

void write_reports(const RunResult& run, const std::string& out_dir, const ReportOptions& options) {
  std::filesystem::create_directories(out_dir);
  // The journal first: it is the record every other report can be rebuilt from.
  write_journal(run, out_dir + "/journal.json");
  write_file_atomically(out_dir + "/junit.xml", junit_xml(run));
  write_file_atomically(out_dir + "/chaosgate.sarif",
                        sarif_log(run).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  write_file_atomically(out_dir + "/summary.md", summary_markdown(run, {options.ticket_links, options.summary_max_chars}));
}

}  // namespace chaosgate
