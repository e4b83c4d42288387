#include "engine/experiment_spool.h"

#include "model/experiment_record.h"

namespace chaosgate {

ExperimentSpool::ExperimentSpool(const std::string& dir) : m_file(dir, "the experiments' spool") {}

bool ExperimentSpool::keep(const Experiment& experiment) {
  m_record.clear();
  ExperimentRecord::write(experiment, m_record);
  const std::uint64_t at = m_ends.empty() ? 0 : m_ends.back();
  if (!m_file.write_at(at, m_record)) return false;
  m_ends.push_back(at + m_record.size());
  return true;
}

const Experiment& ExperimentSpool::get(std::size_t position, std::optional<Experiment>& held) const {
  const std::uint64_t from = position == 0 ? 0 : m_ends.at(position - 1);
  std::string record(static_cast<std::size_t>(m_ends.at(position) - from), '\0');
  m_file.read_at(from, record.data(), record.size(), record.size());
  return held.emplace(ExperimentRecord::read(record));
}

}  // namespace chaosgate
