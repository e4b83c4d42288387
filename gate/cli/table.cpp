#include "cli/table.h"

#include <algorithm>

#include "model/duration.h"
#include "model/experiment_results.h"

namespace chaosgate::cli {

void print_table(std::ostream& out, std::size_t count, const std::function<std::vector<std::string>(std::size_t)>& row_at) {
  std::vector<std::size_t> widths;
  for (std::size_t r = 0; r < count; ++r) {
    const auto row = row_at(r);
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (widths.size() <= c) widths.push_back(0);
      widths[c] = std::max(widths[c], row[c].size());
    }
  }
  std::string line;
  for (std::size_t r = 0; r < count; ++r) {
    const auto row = row_at(r);
    line = "  ";
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line.append(widths[c] - row[c].size() + 2, ' ');
    }
    out << line << '\n';
  }
}

void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  print_table(out, rows.size(), [&](std::size_t r) { return rows[r]; });
}

void print_results(std::ostream& out, const RunResult& run) {
  const ExperimentResults results(run);
  if (!results.empty()) {  // no header over nothing: the verdict line says "no experiment ran"
    out << '\n';
    ExperimentResult scratch;
    print_table(out, results.size() + 1, [&](std::size_t r) -> std::vector<std::string> {
      if (r == 0) return {"experiment", "verdict", "time", "why"};
      const auto& result = results.at(r - 1, scratch);
      return {result.experiment.id, enum_name(result.verdict), format_duration(result.duration), result.reason};
    });
  }
  out << (run.drill ? "\nDrill " : "\nGate ") << run.gate << ": " << run.gate_reason << " (exit " << run.exit_code << ")\n";
}

}  // namespace chaosgate::cli
