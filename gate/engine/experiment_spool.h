#pragma once
// A run's experiments on disk, each read back when the scheduler starts it:
// the decoded suite (~1 KiB an experiment) is then not held while they run.
// Kept as ExperimentRecord wrote them, in an unnamed file in the report
// directory; in memory only where each record ends (8 bytes an experiment).
#include <cstdint>
#include <string>
#include <vector>

#include "engine/experiment_shelf.h"
#include "util/unnamed_file.h"

namespace chaosgate {

class ExperimentSpool final : public ExperimentShelf {
public:
  // Throws std::runtime_error naming `dir` when the file cannot be made.
  explicit ExperimentSpool(const std::string& dir);

  // Writes `experiment` at the next position. False when it could not be
  // written: the spool is then of no use (keep the experiments in memory).
  // One thread, before anything is read.
  bool keep(const Experiment& experiment);
  // Room for `count` records' ends: grown by doubling they were ~0.13 MB of
  // capacity at 10,000 experiments, beside the old array while growing.
  void reserve(std::size_t count) { m_ends.reserve(count); }

  std::size_t size() const override { return m_ends.size(); }
  // Throws std::runtime_error (RecordError for bytes that are not a record)
  // when it cannot be read back.
  const Experiment& get(std::size_t position, std::optional<Experiment>& held) const override;

private:
  UnnamedFile m_file;
  std::vector<std::uint64_t> m_ends;  // record i: [m_ends[i - 1], m_ends[i]), the first from 0
  std::string m_record;               // the one being written, its capacity kept
};

}  // namespace chaosgate
