#pragma once
// A run's results. A passed experiment's result is spooled whole to disk as
// it finishes (its journal record) and only its verdict and id stay here; the
// others are held. Once the experiments are done this is the run's
// ResultStore: the gate, the tickets and each report read a spooled result
// back when they come to it and drop it after, so the reporting phase holds
// no more than one result per reader (at 10,000 experiments the results read
// back all at once were ~10 MB; ARCHITECTURE "Memory").
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "journal_spool.h"
#include "model/result_store.h"
#include "model/run_result.h"
#include "model/text_list.h"

namespace chaosgate::cli {

class RunResults final : public ResultStore {
public:
  // `ids`: the experiment at each position, as planned (a result kept there
  // is that experiment's). `spool` may be null: every result is then held
  // whole. It must outlive this.
  RunResults(TextList ids, JournalSpool* spool);

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
  Verdict verdict(std::size_t position) const override { return m_verdicts[position]; }
  std::string_view id(std::size_t position) const override { return m_ids[position]; }
  const ExperimentResult& at(std::size_t position, ExperimentResult& scratch) const override;

private:
  // Decodes the spooled record at `position` into `out`; the error on failure.
  std::string read_back(std::size_t position, ExperimentResult& out) const;

  JournalSpool* m_spool;
  std::vector<Verdict> m_verdicts;
  // The ids as planned, in one buffer (a pointer and a string an experiment
  // were ~0.4 MB of a 10,000-experiment run's reports phase), and only the
  // results held whole: the runs that did not pass, few.
  TextList m_ids;
  std::mutex m_keeping;  // keep() runs on the runner's threads
  std::unordered_map<std::size_t, std::unique_ptr<ExperimentResult>> m_held;
  std::vector<bool> m_unreadable;  // set by check()
};

}  // namespace chaosgate::cli
