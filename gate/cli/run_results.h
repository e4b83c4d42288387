#pragma once
// A run's results while its experiments run. A passed experiment's result is
// spooled whole to disk as it finishes (its journal record) and only its
// verdict and id stay here, so the results are not held beside the decoded
// suite, which was the run's peak of memory (at 10,000 experiments ~6 MB of
// results beside ~11 MB of suite). Once the suite is freed, take() reads
// them back for the gate, the tickets and the reports.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "journal_spool.h"
#include "model/run_result.h"

namespace chaosgate::cli {

class RunResults {
public:
  // `spool` may be null: every result is then held whole.
  RunResults(std::size_t size, JournalSpool* spool);

  // The runner's ResultSink: safe from several threads at distinct positions.
  void keep(std::size_t position, ExperimentResult&& result);

  std::size_t size() const { return m_verdicts.size(); }
  Verdict verdict(std::size_t position) const { return m_verdicts[position]; }
  // The result held whole at `position`; nullptr when it was spooled (a
  // passed experiment: no failed action or rollback in it).
  const ExperimentResult* held(std::size_t position) const { return m_held[position].get(); }

  // Every result in order, those spooled read back without their attempts
  // (journal.json copies the records from the spool). A record that cannot be
  // read back gives a result with its id and verdict, the reason saying so,
  // and a line in `problems`. Leaves this empty.
  std::vector<ExperimentResult> take(std::vector<std::string>& problems);

private:
  JournalSpool* m_spool;
  std::vector<Verdict> m_verdicts;
  std::vector<std::unique_ptr<ExperimentResult>> m_held;
  std::vector<std::string> m_spooled_ids;  // for a record that cannot be read back
};

}  // namespace chaosgate::cli
