#pragma once
// journal.json: the complete record of a run, the input of `report`, `merge`
// and `promote`.
#include <string>

#include "model/run_result.h"

namespace chaosgate {
class JournalSpool;
}

namespace chaosgate {

// Writes `run` to `path` atomically (temp file in the same directory, fsync,
// rename): a reader never sees half a journal. An experiment whose record is
// in `spool` is copied from there (its result in `run` may lack the
// attempts). Throws std::runtime_error naming the path on an I/O error.
void write_journal(const RunResult& run, const std::string& path, const JournalSpool* spool = nullptr);

// Reads a journal, one experiment at a time. Throws UserError naming the file
// and the problem when it is missing, not JSON, of another schema_version, or
// lacks a field.
RunResult read_journal(const std::string& path);

}  // namespace chaosgate
