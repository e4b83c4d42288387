#include "cli/run_results.h"

#include <stdexcept>

#include "journal_records.h"

namespace chaosgate::cli {

namespace {

constexpr const char* k_unreadable = "its result could not be read back from the journal spool";

}  // namespace

RunResults::RunResults(TextList ids, JournalSpool* spool)
    : m_spool(spool), m_verdicts(ids.size(), Verdict::skipped), m_ids(std::move(ids)), m_unreadable(m_ids.size(), false) {}

void RunResults::keep(std::size_t position, ExperimentResult&& result) {
  m_verdicts[position] = result.verdict;
  if (m_spool != nullptr && result.verdict == Verdict::passed && m_spool->keep(position, result)) return;
  const std::lock_guard lock(m_keeping);
  m_held[position] = std::make_unique<ExperimentResult>(std::move(result));
}

const ExperimentResult* RunResults::held(std::size_t position) const {
  const auto found = m_held.find(position);
  return found == m_held.end() ? nullptr : found->second.get();
}

std::string RunResults::read_back(std::size_t position, ExperimentResult& out) const {
  out = ExperimentResult{};
  out.experiment.id = id(position);  // stands for a result never kept or not read back
  out.verdict = verdict(position);
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
    if (held(i) != nullptr) continue;
    if (const std::string error = read_back(i, scratch); !error.empty()) {
      m_unreadable[i] = true;
      problems.push_back(std::string(id(i)) + ": " + k_unreadable + ": " + error);
    }
  }
}

const ExperimentResult& RunResults::at(std::size_t position, ExperimentResult& scratch) const {
  if (const ExperimentResult* whole = held(position)) return *whole;
  if (!read_back(position, scratch).empty()) {  // its id and verdict alone, not what a partial decoding left
    scratch = ExperimentResult{};
    scratch.experiment.id = id(position);
    scratch.verdict = verdict(position);
    scratch.reason = k_unreadable;
  }
  return scratch;
}

}  // namespace chaosgate::cli
