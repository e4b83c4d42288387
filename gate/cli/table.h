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
// The same for the rows `row_at(r)` makes, r < `count`, each made twice (to
// size the columns, then to print): a table of every experiment is never held
// whole (10,000 rows of `list` were ~3 MB).
void print_table(std::ostream& out, std::size_t count, const std::function<std::vector<std::string>(std::size_t)>& row_at);

// The verdict of every experiment, then the gate line: what `run` and `merge` print.
void print_results(std::ostream& out, const RunResult& run);

}  // namespace chaosgate::cli
