#pragma once
// What `run` and `recover` share about a fault ledger left in an output
// directory (engine/fault_ledger_file.h): where it is, and whether the gate
// that wrote it is still alive.
#include <string>

#include "engine/fault_ledger_file.h"

namespace chaosgate::cli {

std::string fault_ledger_path(const std::string& out_dir);

// The ledger's gate is still running: its pid is alive and is a chaosgate.
bool ledger_writer_alive(const LedgerRun& run);

// --suite as the ledger keeps it: a local path made absolute (recover may run
// from another directory), a URL with its credentials masked (recover then
// needs --suite again).
std::string suite_source_for_ledger(const std::string& source);

// Before a run injects anything: a ledger in `out_dir` owing rollbacks means
// faults of an earlier, killed run may still be in effect, and judging this
// release on top of them would be wrong. Throws UserError (exit 3) naming
// them and the recover command, or (exit 2) when that run is still alive and
// writing into `out_dir`. A ledger owing nothing is removed.
void refuse_if_faults_left(const std::string& out_dir);

}  // namespace chaosgate::cli
