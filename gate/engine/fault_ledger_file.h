#pragma once
// The fault ledger as a file, <out>/faults-in-effect.jsonl: one JSON object a
// line, each appended with one write(2) so a killed process leaves whole lines
// (the page cache outlives the process; a lost machine loses staging's state
// with it). The first line names the run; then, per experiment, "method",
// "injecting" (which fault) and "rolledBack" (ok or not). A run that ends with
// every rollback done removes the file.
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/fault_ledger.h"
#include "model/run_result.h"

namespace chaosgate {

inline constexpr const char* k_fault_ledger_file = "faults-in-effect.jsonl";

struct LedgerRun {
  std::string run_id;
  long pid = 0;                 // the gate's process
  std::string suite_source;     // --suite as given
  std::string suite_digest;
  std::string environment;
  std::string started;          // UTC, as in the journal
};

// An experiment whose rollbacks have not (all) run.
struct OwedRollbacks {
  std::string experiment_id;
  std::string definition_digest;          // of the definition that injected
  std::vector<std::size_t> faults;        // method indexes, in the order injected
  bool rollback_failed = false;           // its rollbacks ran and one failed
};

struct LedgerContent {
  LedgerRun run;
  std::vector<OwedRollbacks> owed;  // in the order their methods started
};

class FaultLedgerFile : public FaultLedger {
public:
  // Creates `path` (its directory must exist) with the run's line. Throws
  // std::runtime_error naming the path when it cannot be written.
  FaultLedgerFile(std::string path, const LedgerRun& run);
  ~FaultLedgerFile() override;
  FaultLedgerFile(const FaultLedgerFile&) = delete;
  FaultLedgerFile& operator=(const FaultLedgerFile&) = delete;

  void method_started(const Experiment& experiment) override;
  void injecting(const Experiment& experiment, std::size_t method_index) override;
  void rolled_back(const Experiment& experiment, bool all_ok) override;

  // The experiments still owing rollbacks. None: the file is removed and
  // true returned; else it stays for `chaosgate recover`.
  bool close_if_settled();
  std::vector<std::string> owing() const;

private:
  void append(const std::string& line);

  std::string m_path;
  int m_fd = -1;
  mutable std::mutex m_mutex;
  std::vector<std::string> m_owing;  // experiment ids, in start order
};

// Reads a ledger. A last line cut short (the gate died mid-write) is ignored;
// any other unreadable line throws UserError naming the file and line.
LedgerContent read_fault_ledger(const std::string& path);

// Appends "rolledBack" lines for `experiment_id` (recover settles what it
// rolled back); removes the file once nothing is owed.
void settle_fault_ledger(const std::string& path, const std::string& experiment_id, bool all_ok);

}  // namespace chaosgate
