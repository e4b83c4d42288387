#pragma once
// Where `run` keeps the experiments from the moment each is loaded until it
// starts: in a spool (engine/experiment_spool.h), an outline of each beside
// it for the decisions made before anything runs (model/experiment_outline.h).
// The decoded suite, ~1 KiB an experiment, is then never held whole. Should
// the spool not be made or written, the experiments are kept in memory and
// the run goes on.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/experiment_shelf.h"
#include "engine/experiment_spool.h"
#include "model/experiment_outline.h"

namespace chaosgate {

class ExperimentStore final : public ExperimentShelf {
public:
  // The spool in `spool_dir`; empty: in memory from the start.
  explicit ExperimentStore(const std::string& spool_dir);

  // Room for this many outlines and spooled records (the loader knows before the first).
  void reserve(std::size_t count) {
    m_outlines.reserve(count);
    if (m_spool) m_spool->reserve(count);
  }

  // Keeps the next experiment and its outline (index = its position). One
  // thread, before anything is read. Throws UserError (exit 3) when the spool
  // failed and what it held cannot be read back into memory.
  void keep(Experiment&& experiment);

  const std::vector<ExperimentOutline>& outlines() const { return m_outlines; }
  // Once every decision is made: the outlines go (the experiments stay).
  void drop_outlines() {
    std::vector<ExperimentOutline>().swap(m_outlines);
    m_names = OutlineNames();
  }
  bool in_memory() const { return m_spool == nullptr; }

  // In load order: position == outline index.
  std::size_t size() const override { return m_kept; }
  const Experiment& get(std::size_t position, std::optional<Experiment>& held) const override;

private:
  void move_to_memory(const std::string& why);

  std::unique_ptr<ExperimentSpool> m_spool;  // null: in memory
  std::vector<Experiment> m_in_memory;
  OutlineNames m_names;  // the outlines' names
  std::vector<ExperimentOutline> m_outlines;
  std::size_t m_kept = 0;
};

// Some of a shelf's experiments, in an order of their own: position i is
// position `positions[i]` of the shelf underneath (which must outlive it).
class ExperimentsInOrder final : public ExperimentShelf {
public:
  ExperimentsInOrder(const ExperimentShelf& all, std::vector<std::uint32_t> positions)
      : m_all(all), m_positions(std::move(positions)) {}
  std::size_t size() const override { return m_positions.size(); }
  const Experiment& get(std::size_t position, std::optional<Experiment>& held) const override {
    return m_all.get(m_positions.at(position), held);
  }

private:
  const ExperimentShelf& m_all;
  std::vector<std::uint32_t> m_positions;
};

}  // namespace chaosgate
