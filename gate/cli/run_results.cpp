#include "cli/run_results.h"

#include <stdexcept>

#include "journal_records.h"

namespace chaosgate::cli {

RunResults::RunResults(std::size_t size, JournalSpool* spool)
    : m_spool(spool), m_verdicts(size, Verdict::skipped), m_held(size), m_spooled_ids(size) {}

void RunResults::keep(std::size_t position, ExperimentResult&& result) {
  m_verdicts[position] = result.verdict;
  if (m_spool != nullptr && result.verdict == Verdict::passed && m_spool->keep(position, result)) {
    m_spooled_ids[position] = std::move(result.experiment.id);
    return;
  }
  m_held[position] = std::make_unique<ExperimentResult>(std::move(result));
}

std::vector<ExperimentResult> RunResults::take(std::vector<std::string>& problems) {
  std::vector<ExperimentResult> results(m_verdicts.size());
  std::string record;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (m_held[i]) {
      results[i] = std::move(*m_held[i]);
      m_held[i].reset();
      continue;
    }
    try {
      if (m_spool == nullptr || !m_spool->read(i, record)) continue;  // never kept: the runner keeps every one
      // Decoded as the journal reader decodes it, the attempts read past:
      // only journal.json needs them, and it copies them from the spool.
      if (std::string error; !read_experiment_record(record, results[i], error, false)) throw std::runtime_error(error);
    } catch (const std::exception& e) {
      results[i] = ExperimentResult{};
      results[i].experiment.id = m_spooled_ids[i];
      results[i].verdict = m_verdicts[i];
      results[i].reason = "its result could not be read back from the journal spool";
      problems.push_back(m_spooled_ids[i] + ": its result could not be read back from the journal spool: " + e.what());
    }
    std::string().swap(m_spooled_ids[i]);
  }
  m_verdicts.clear();
  m_held.clear();
  m_spooled_ids.clear();
  return results;
}

}  // namespace chaosgate::cli
