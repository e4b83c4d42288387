#pragma once
// A run's journal records, written to disk as each experiment finishes. A
// passed experiment's attempts (every probe, sample and action: about half of
// what its result holds) are read by nothing but journal.json; once its record
// is spooled the gate drops them, so a run's memory no longer carries them
// from the experiment's end to the reports (~9 MB at 10,000 experiments); the
// rest of the result is read back from here once the suite is freed
// (gate/cli/run_results.h).
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <mutex>
#include <string>
#include <vector>

#include "model/run_result.h"
#include "util/unnamed_file.h"

namespace chaosgate {

class JournalSpool {
public:
  // The records' depth in journal.json: elements of the top-level "experiments".
  static constexpr std::size_t k_record_indent = 4;

  // An unnamed temp file in `dir` (the report directory: the journal's own
  // filesystem, not a /tmp that may be memory). Throws std::runtime_error
  // naming `dir` when it cannot be made. `positions`: how many records;
  // `max_bytes`: what the records may take in all (offsets are 32-bit).
  JournalSpool(const std::string& dir, std::size_t positions,
               std::uint32_t max_bytes = std::numeric_limits<std::uint32_t>::max());
  ~JournalSpool();
  JournalSpool(const JournalSpool&) = delete;
  JournalSpool& operator=(const JournalSpool&) = delete;

  // Writes the record of `result`, the experiment at `position` of the
  // journal. Safe from several threads. False (and nothing kept) when it
  // could not be written or would pass `max_bytes`: the caller keeps the
  // result whole.
  bool keep(std::size_t position, const ExperimentResult& result);
  // Sets `text` to the record kept for `position`, as write_experiment_record
  // printed it k_record_indent spaces deep; false when none was kept. Throws
  // std::runtime_error on a read error. Safe from several threads.
  bool read(std::size_t position, std::string& text) const;

  // Ends the keeping: keep() returns false from now on. Reads are then served
  // from a 64 KiB read-ahead window per thread, one pread for the ~20 records
  // that follow the one asked for: the reports read every passed record back,
  // in about the order it was written (a 10,000-experiment run: 110,002
  // preads one record each, 5,018 through windows). Until the spool is sealed
  // a record's neighbours may still be being written, so none is read ahead.
  void seal();

private:
  // One per experiment of the run, held to the end of the reports: 8 bytes
  // (were 16, then 12). The spool stays under 4 GiB (a 10,000-experiment
  // run's is ~5 MB); keep() refuses what would pass it.
  struct Record {
    std::uint32_t offset = 0;
    std::uint32_t size = 0;  // 0: not kept
  };
  static_assert(sizeof(Record) == 8);
  struct Window;
  static constexpr std::size_t k_window_bytes = 64 * 1024;

  void read_sealed(const Record& record, std::string& text) const;

  UnnamedFile m_file;
  const std::uint64_t m_serial;  // tells a thread's window which spool it holds
  mutable std::mutex m_mutex;    // m_end and m_records until sealed (not the file: each record has its own range)
  std::uint64_t m_end = 0;
  const std::uint32_t m_max_bytes;
  std::vector<Record> m_records;  // not changed once sealed
  std::atomic<bool> m_sealed = false;
};

}  // namespace chaosgate
