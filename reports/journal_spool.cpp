#include "journal_spool.h"

#include <memory>

#include "journal_text.h"

namespace chaosgate {

namespace {
std::uint64_t next_serial() {
  static std::atomic<std::uint64_t> serial = 0;
  return ++serial;
}
}  // namespace

// The bytes of a sealed spool that one thread read last.
struct JournalSpool::Window {
  std::uint64_t serial = 0;  // 0: holds nothing
  std::uint64_t offset = 0;
  std::size_t size = 0;
  std::unique_ptr<char[]> bytes;  // k_window_bytes
};

JournalSpool::JournalSpool(const std::string& dir, std::size_t positions, std::uint32_t max_bytes)
    : m_file(dir, "the journal spool"), m_serial(next_serial()), m_max_bytes(max_bytes), m_records(positions) {}

JournalSpool::~JournalSpool() = default;

bool JournalSpool::keep(std::size_t position, const ExperimentResult& result) {
  if (position >= m_records.size()) return false;
  std::string text;
  JsonText out(text, k_record_indent);
  write_experiment_record(out, result);
  std::uint64_t at = 0;
  {
    std::lock_guard lock(m_mutex);
    if (m_sealed || text.size() > m_max_bytes - m_end) return false;  // Record's 32 bits
    at = m_end;
    m_end += text.size();  // this record's range, written without the lock
  }
  if (!m_file.write_at(at, text)) return false;  // the range stays unused
  std::lock_guard lock(m_mutex);
  if (m_sealed) return false;  // sealed while this was written: reads no longer take the lock
  m_records[position] = {static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(text.size())};
  return true;
}

void JournalSpool::seal() {
  std::lock_guard lock(m_mutex);
  m_sealed = true;
}

bool JournalSpool::read(std::size_t position, std::string& text) const {
  if (m_sealed) {
    if (position >= m_records.size() || m_records[position].size == 0) return false;
    read_sealed(m_records[position], text);
    return true;
  }
  Record record;
  {
    std::lock_guard lock(m_mutex);
    if (position >= m_records.size() || m_records[position].size == 0) return false;
    record = m_records[position];
  }
  text.resize(static_cast<std::size_t>(record.size));
  m_file.read_at(record.offset, text.data(), text.size(), text.size());
  return true;
}

void JournalSpool::read_sealed(const Record& record, std::string& text) const {
  const auto size = static_cast<std::size_t>(record.size);
  if (size > k_window_bytes) {  // on its own: a window stays with its thread, so it never grows
    text.resize(size);
    m_file.read_at(record.offset, text.data(), size, size);
    return;
  }
  thread_local Window window;
  const bool inside = window.serial == m_serial && record.offset >= window.offset &&
                      std::uint64_t{record.offset} + record.size <= window.offset + window.size;
  if (!inside) {
    if (!window.bytes) window.bytes = std::make_unique<char[]>(k_window_bytes);
    window.serial = 0;  // holds nothing should the read fail
    window.size = m_file.read_at(record.offset, window.bytes.get(), k_window_bytes, size);
    window.offset = record.offset;
    window.serial = m_serial;
  }
  text.assign(window.bytes.get() + (record.offset - window.offset), size);
}

}  // namespace chaosgate
