#include "engine/experiment_store.h"

#include <spdlog/spdlog.h>

#include "util/errors.h"

namespace chaosgate {

ExperimentStore::ExperimentStore(const std::string& spool_dir) {
  if (spool_dir.empty()) return;
  try {
    m_spool = std::make_unique<ExperimentSpool>(spool_dir);
  } catch (const std::exception& e) {
    spdlog::warn("{}: the experiments are kept in memory", e.what());
  }
}

void ExperimentStore::keep(Experiment&& experiment) {
  m_outlines.push_back(outline_of(experiment, static_cast<std::uint32_t>(m_kept++), m_names));
  if (m_spool) {
    if (m_spool->keep(experiment)) return;
    move_to_memory("cannot write the experiments' spool");
  }
  m_in_memory.push_back(std::move(experiment));
}

// The spool failed part-way (a full disk): what it holds is read back, and it
// is given up.
void ExperimentStore::move_to_memory(const std::string& why) {
  spdlog::warn("{}: the experiments are kept in memory", why);
  m_in_memory.reserve(m_kept);
  for (std::size_t i = 0; i < m_spool->size(); ++i) {
    std::optional<Experiment> held;
    try {
      m_spool->get(i, held);
    } catch (const std::exception& e) {
      throw UserError(why + ", nor read back what it holds: " + e.what(), k_exit_environment);
    }
    m_in_memory.push_back(std::move(*held));
  }
  m_spool.reset();
}

const Experiment& ExperimentStore::get(std::size_t position, std::optional<Experiment>& held) const {
  if (m_spool) return m_spool->get(position, held);
  return m_in_memory.at(position);
}

}  // namespace chaosgate
