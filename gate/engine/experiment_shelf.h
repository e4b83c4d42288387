#pragma once
// Where the scheduler takes an experiment from when it starts it: the suite in
// memory, or the spool a run keeps them in on disk (engine/experiment_spool.h)
// so that the decoded suite is not held while the experiments run.
#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include "model/suite.h"

namespace chaosgate {

class ExperimentShelf {
public:
  virtual ~ExperimentShelf() = default;
  virtual std::size_t size() const = 0;
  // The experiment at `position`: in memory, or read back into `held`, which
  // keeps it for as long as the caller uses it. Throws std::runtime_error
  // when it cannot be read back. Safe from several threads.
  virtual const Experiment& get(std::size_t position, std::optional<Experiment>& held) const = 0;
};

// Experiments the caller keeps in memory for as long as the shelf is used.
class ExperimentsInMemory final : public ExperimentShelf {
public:
  explicit ExperimentsInMemory(std::vector<const Experiment*> experiments) : m_experiments(std::move(experiments)) {}
  std::size_t size() const override { return m_experiments.size(); }
  const Experiment& get(std::size_t position, std::optional<Experiment>&) const override { return *m_experiments.at(position); }

private:
  std::vector<const Experiment*> m_experiments;
};

}  // namespace chaosgate
