#pragma once
// The one entry point the gate calls after every run, interrupted ones too.
#include <string>

#include "model/run_result.h"

namespace chaosgate {

struct ReportOptions {};

// Creates `out_dir` if needed and writes the reports of `run` into it, each
// file atomically. Throws std::runtime_error naming the file on an I/O error.
void write_reports(const RunResult& run, const std::string& out_dir, const ReportOptions& options = {});

}  // namespace chaosgate
