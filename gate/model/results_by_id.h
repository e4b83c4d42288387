#pragma once
// A run's results by experiment id, for the views that look up every
// experiment of a suite in several runs (risk register, promotion): a search
// of the run per experiment made them quadratic (10,000 experiments, two
// journals: `risks` took 2.3 s, most of it comparing ids).
#include <string_view>
#include <unordered_map>

#include "model/run_result.h"

namespace chaosgate {

class ResultsById {
 public:
  // Keeps pointers into `run`, which must outlive this: a run read from its
  // journal, its results in RunResult::experiments (not in a ResultStore).
  explicit ResultsById(const RunResult& run) {
    m_results.reserve(run.experiments.size());
    // The first result of an id wins, as a search from the front found it.
    for (const auto& result : run.experiments) m_results.try_emplace(result.experiment.id, &result);
  }

  const ExperimentResult* find(std::string_view id) const {
    const auto it = m_results.find(id);
    return it == m_results.end() ? nullptr : it->second;
  }

 private:
  std::unordered_map<std::string_view, const ExperimentResult*> m_results;
};

}  // namespace chaosgate
