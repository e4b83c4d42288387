#include "cli/table.h"

#include <algorithm>

#include "model/duration.h"

namespace chaosgate::cli {

void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (widths.size() <= c) widths.push_back(0);
      widths[c] = std::max(widths[c], row[c].size());
    }
  for (const auto& row : rows) {
    std::string line = "  ";
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(widths[c] - row[c].size() + 2, ' ');
    }
    out << line << '\n';
  }
}

void print_results(std::ostream& out, const RunResult& run) {
  std::vector<std::vector<std::string>> rows = {{"experiment", "verdict", "time", "why"}};
  for (const auto& result : run.experiments)
    rows.push_back({result.experiment.id, enum_name(result.verdict), format_duration(result.duration), result.reason});
  out << '\n';
  print_table(out, rows);
  out << (run.drill ? "\nDrill " : "\nGate ") << run.gate << ": " << run.gate_reason << " (exit " << run.exit_code << ")\n";
}

}  // namespace chaosgate::cli
