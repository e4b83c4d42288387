#include "cli/run_results.h"

#include <stdexcept>

#include "journal_records.h"

namespace chaosgate::cli {

namespace {

constexpr const char* k_unreadable = "its result could not be read back from the journal spool";

}  // namespace

RunResults::RunResults(std::size_t size, JournalSpool* spool)
    : m_spool(spool), m_verdicts(size, Verdict::skipped), m_held(size), m_spooled_ids(size), m_unreadable(size, false) {}

void RunResults::keep(std::size_t position, ExperimentResult&& result) {
  m_verdicts[position] = result.verdict;
  if (m_spool != nullptr && result.verdict == Verdict::passed && m_spool->keep(position, result)) {
    m_spooled_ids[position] = std::move(result.experiment.id);
    return;
  }
  m_held[position] = std::make_unique<ExperimentResult>(std::move(result));
}

std::string RunResults::read_back(std::size_t position, ExperimentResult& out) const {
  out = ExperimentResult{};
  out.verdict = m_verdicts[position];
  if (m_unreadable[position]) return k_unreadable;
  // One buffer per thread: the reports read results back side by side.
  thread_local std::string record;
  try {
    if (m_spool == nullptr || !m_spool->read(position, record)) return {};  // never kept: the runner keeps every one
    // Decoded as the journal reader decodes it, without the attempts: only
    // journal.json needs them, and it copies them from the spool.
    std::string error;
    if (read_experiment_record(record, out, error, false)) return {};
    return error.empty() ? std::string("not a journal record") : error;
  } catch (const std::exception& e) {
    return e.what();
  }
}

void RunResults::check(std::vector<std::string>& problems) {
  // The experiments are done: the reports' reads may go ahead of the one asked for.
  if (m_spool != nullptr) m_spool->seal();
  ExperimentResult scratch;
  for (std::size_t i = 0; i < size(); ++i) {
    if (m_held[i]) continue;
    if (const std::string error = read_back(i, scratch); !error.empty()) {
      m_unreadable[i] = true;
      problems.push_back(m_spooled_ids[i] + ": " + k_unreadable + ": " + error);
    }
  }
}

const std::string& RunResults::id(std::size_t position) const {
  return m_held[position] ? m_held[position]->experiment.id : m_spooled_ids[position];
}

const ExperimentResult& RunResults::at(std::size_t position, ExperimentResult& scratch) const {
  if (m_held[position]) return *m_held[position];
  if (!read_back(position, scratch).empty()) {  // `scratch` holds the verdict alone then
    scratch.experiment.id = m_spooled_ids[position];
    scratch.reason = k_unreadable;
  }
  return scratch;
}

}  // namespace chaosgate::cli
