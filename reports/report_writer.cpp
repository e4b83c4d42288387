#include "report_writer.h"

#include <filesystem>

#include "journal_file.h"

namespace chaosgate {

void write_reports(const RunResult& run, const std::string& out_dir, const ReportOptions&) {
  std::filesystem::create_directories(out_dir);
  write_journal(run, out_dir + "/journal.json");
}

}  // namespace chaosgate
