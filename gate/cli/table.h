#pragma once
#include <cstddef>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "model/run_result.h"

namespace chaosgate::cli {

// Left-aligned columns, two spaces apart, sized to their widest cell.
void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows);

// The same with each row made on demand, `row_at(0)` .. `row_at(row_count - 1)`
// (each is asked for twice), for tables too long to hold.
using RowAt = std::function<std::vector<std::string>(std::size_t)>;
void print_table(std::ostream& out, std::size_t row_count, const RowAt& row_at);

// The verdict of every experiment, then the gate line: what `run` and `merge` print.
void print_results(std::ostream& out, const RunResult& run);

}  // namespace chaosgate::cli
