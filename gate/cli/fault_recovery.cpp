#include "cli/fault_recovery.h"

#include <filesystem>
#include <fstream>

#include "util/errors.h"
#include "util/file_text.h"
#include "util/redact.h"
#include "util/text.h"

namespace chaosgate::cli {

std::string fault_ledger_path(const std::string& out_dir) {
  return (std::filesystem::path(out_dir) / k_fault_ledger_file).string();
}

std::string suite_source_for_ledger(const std::string& source) {
  if (source.find("://") != std::string::npos) return redact(source);
  std::error_code error;
  const auto absolute = std::filesystem::absolute(source, error);
  return error ? source : absolute.lexically_normal().string();
}

bool ledger_writer_alive(const LedgerRun& run) {
  if (run.pid <= 0) return false;
  const std::string proc = "/proc/" + std::to_string(run.pid);
  std::ifstream stat(proc + "/stat");
  std::string pid, name, state;
  if (!(stat >> pid >> name >> state) || state == "Z" || state == "X") return false;
  // A reused pid belongs to another program: only a chaosgate counts.
  return read_file_text(proc + "/cmdline").text.find("chaosgate") != std::string::npos;
}

void refuse_if_faults_left(const std::string& out_dir) {
  const std::string path = fault_ledger_path(out_dir);
  if (!std::filesystem::exists(path)) return;
  const LedgerContent ledger = read_fault_ledger(path);
  if (ledger.owed.empty()) {
    std::filesystem::remove(path);
    return;
  }
  if (ledger_writer_alive(ledger.run))
    throw UserError("--out " + out_dir + ": run " + ledger.run.run_id + " (pid " + std::to_string(ledger.run.pid) +
                    ") is still running and writes there; give each run its own --out");
  std::vector<std::string> owed;
  for (const auto& entry : ledger.owed) owed.push_back(entry.experiment_id);
  throw UserError("faults of run " + ledger.run.run_id + " (started " + ledger.run.started + ", pid " +
                      std::to_string(ledger.run.pid) + ", no longer running) may still be in effect in " +
                      ledger.run.environment + ": " + join(owed, ", ") + " (" + path +
                      "). Nothing was injected: roll them back first with `chaosgate recover --out " + out_dir + "`",
                  k_exit_environment);
}

}  // namespace chaosgate::cli
