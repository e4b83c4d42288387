#pragma once
// Where a run's results are when RunResult::experiments does not hold them:
// `chaosgate run` keeps a passed experiment's result in its journal spool and
// reads it back each time a report asks for it (cli/run_results.h), so the
// reports hold one result at a time, not 10,000 (ARCHITECTURE "Memory").
#include <cstddef>
#include <string_view>

#include "model/run_result.h"

namespace chaosgate {

class ResultStore {
public:
  virtual ~ResultStore() = default;

  // Positions are plan order, as in RunResult::experiments.
  virtual std::size_t size() const = 0;
  virtual Verdict verdict(std::size_t position) const = 0;
  // Valid while the store is and nothing more is kept in it.
  virtual std::string_view id(std::size_t position) const = 0;
  // The result at `position`: one held in memory, or one read back into
  // `scratch`. Safe from several threads with distinct scratches. Never
  // throws: a result that cannot be read back comes with its id, verdict and
  // a reason saying so.
  virtual const ExperimentResult& at(std::size_t position, ExperimentResult& scratch) const = 0;
};

}  // namespace chaosgate
