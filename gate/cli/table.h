#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "model/run_result.h"

namespace chaosgate::cli {

// Left-aligned columns, two spaces apart, sized to their widest cell.
void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows);

// The verdict of every experiment, then the gate line: what `run` and `merge` print.
void print_results(std::ostream& out, const RunResult& run);

}  // namespace chaosgate::cli
