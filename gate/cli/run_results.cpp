#include "cli/run_results.h"

#include <cstring>
#include <stdexcept>
#include <string_view>

#include "journal_records.h"

namespace chaosgate::cli {

namespace {

constexpr const char* k_unreadable = "its result could not be read back from the journal spool";

// A record as the spool keeps it, its attempts (most of its text) cut out
// before it is decoded: the record's members are written in key order, so
// "attempts" comes first and "deviatedProbe" next, each on a line of its own
// one level deeper than the record. JSON strings hold no raw newline, so the
// pattern is found only there. Returns `record` whole when it is not found
// (the reader then reads past the attempts itself).
std::string_view without_attempts(std::string_view record, std::string& buffer) {
  static const std::string indent(JournalSpool::k_record_indent + 2, ' ');
  static const std::string attempts = "{\n" + indent + "\"attempts\": [";
  static const std::string next = "\n" + indent + "],\n" + indent + "\"deviatedProbe\":";
  if (record.substr(0, attempts.size()) != attempts) return record;
  // memmem, not find(): a record has a newline every ~30 bytes, and find()
  // compares the pattern at each.
  const void* end = ::memmem(record.data(), record.size(), next.data(), next.size());
  if (end == nullptr) return record;
  const std::size_t rest = static_cast<std::size_t>(static_cast<const char*>(end) - record.data()) + next.size() -
                           std::string_view("\"deviatedProbe\":").size();
  buffer = "{\"attempts\": [],";
  buffer.append(record.substr(rest));
  return buffer;
}

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
  thread_local std::string record, cut;
  try {
    if (m_spool == nullptr || !m_spool->read(position, record)) return {};  // never kept: the runner keeps every one
    // Decoded as the journal reader decodes it, without the attempts: only
    // journal.json needs them, and it copies them from the spool.
    std::string error;
    if (read_experiment_record(without_attempts(record, cut), out, error, false)) return {};
    return error.empty() ? std::string("not a journal record") : error;
  } catch (const std::exception& e) {
    return e.what();
  }
}

void RunResults::check(std::vector<std::string>& problems) {
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
  if (!read_back(position, scratch).empty()) {
    scratch = ExperimentResult{};
    scratch.experiment.id = m_spooled_ids[position];
    scratch.verdict = m_verdicts[position];
    scratch.reason = k_unreadable;
  }
  return scratch;
}

}  // namespace chaosgate::cli
