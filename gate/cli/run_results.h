#pragma once
// A run's results. A passed experiment's result is spooled whole to disk as
// it finishes (its journal record) and only its verdict and id stay here; the
// others are held. Once the experiments are done this is the run's
// ResultStore: the gate, the tickets and each report read a spooled result
// back when they come to it and drop it after, so the reporting phase holds
// no more than one result per reader (at 10,000 experiments the results read
// back all at once were ~10 MB; ARCHITECTURE "Memory").
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "journal_spool.h"
#include "model/result_store.h"
#include "model/run_result.h"

namespace chaosgate::cli {

class RunResults final : public ResultStore {
public:
  // `spool` may be null: every result is then held whole. It must outlive this.
  RunResults(std::size_t size, JournalSpool* spool);

  // The runner's ResultSink: safe from several threads at distinct positions.
  void keep(std::size_t position, ExperimentResult&& result);

  // The result held whole at `position`; nullptr when it was spooled (a
  // passed experiment: no failed action or rollback in it).
  const ExperimentResult* held(std::size_t position) const;

  // Seals the spool (no result is kept after this) and reads every spooled
  // record back once, before the results are used: one
  // line in `problems` for each that cannot be (those then give their id and
  // verdict, the reason saying so).
  void check(std::vector<std::string>& problems);

  // ResultStore. A spooled result is read back without its attempts
  // (journal.json copies the records from the spool).
  std::size_t size() const override { return m_verdicts.size(); }
  Verdict verdict(std::size_t position) const override { return static_cast<Verdict>(m_verdicts[position]); }
  std::string_view id(std::size_t position) const override;
  const ExperimentResult& at(std::size_t position, ExperimentResult& scratch) const override;

private:
  // Decodes the spooled record at `position` into `out`; the error on failure.
  std::string read_back(std::size_t position, ExperimentResult& out) const;

  // Where a spooled result's id is in m_id_characters.
  struct IdSpan {
    std::uint32_t at = 0;
    std::uint32_t length = 0;
  };

  JournalSpool* m_spool;
  std::vector<std::uint8_t> m_verdicts;  // a Verdict each: one byte, not an int's four
  // Only the results held whole (the runs that did not pass: few), and the
  // spooled ones' ids as characters in one buffer: a pointer and a string an
  // experiment were ~0.4 MB of a 10,000-experiment run's reports phase.
  std::mutex m_keeping;  // keep() runs on the runner's threads
  std::unordered_map<std::size_t, std::unique_ptr<ExperimentResult>> m_held;
  std::string m_id_characters;
  std::vector<IdSpan> m_spooled_ids;
  std::vector<bool> m_unreadable;  // set by check()
};

}  // namespace chaosgate::cli
