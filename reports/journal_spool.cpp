#include "journal_spool.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "journal_text.h"

namespace chaosgate {

namespace {
int open_unnamed(const std::string& dir) {
  // O_TMPFILE: never visible, gone with the process however it ends.
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)) return fd;
  // Filesystems without it: a named file, unlinked at once.
  std::string name = dir + "/.journal-spool.XXXXXX";
  fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd >= 0) ::unlink(name.c_str());
  return fd;
}

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

JournalSpool::JournalSpool(const std::string& dir, std::size_t positions)
    : m_dir(dir), m_serial(next_serial()), m_records(positions) {
  m_fd = open_unnamed(dir);
  if (m_fd < 0) throw std::runtime_error("cannot make a journal spool in " + dir + ": " + std::strerror(errno));
}

JournalSpool::~JournalSpool() { ::close(m_fd); }

bool JournalSpool::keep(std::size_t position, const ExperimentResult& result) {
  if (position >= m_records.size()) return false;
  std::string text;
  JsonText out(text, k_record_indent);
  write_experiment_record(out, result);
  std::uint64_t at = 0;
  {
    std::lock_guard lock(m_mutex);
    if (m_sealed) return false;
    at = m_end;
    m_end += text.size();  // this record's range, written without the lock
  }
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::pwrite(m_fd, text.data() + written, text.size() - written, static_cast<off_t>(at + written));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;  // the range stays unused
    written += static_cast<std::size_t>(n);
  }
  std::lock_guard lock(m_mutex);
  if (m_sealed) return false;  // sealed while this was written: reads no longer take the lock
  m_records[position] = {at, text.size()};
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
  read_at(record.offset, text.data(), text.size(), text.size());
  return true;
}

void JournalSpool::read_sealed(const Record& record, std::string& text) const {
  const auto size = static_cast<std::size_t>(record.size);
  if (size > k_window_bytes) {  // on its own: a window stays with its thread, so it never grows
    text.resize(size);
    read_at(record.offset, text.data(), size, size);
    return;
  }
  thread_local Window window;
  const bool inside = window.serial == m_serial && record.offset >= window.offset &&
                      record.offset + record.size <= window.offset + window.size;
  if (!inside) {
    if (!window.bytes) window.bytes = std::make_unique<char[]>(k_window_bytes);
    window.serial = 0;  // holds nothing should the read fail
    window.size = read_at(record.offset, window.bytes.get(), k_window_bytes, size);
    window.offset = record.offset;
    window.serial = m_serial;
  }
  text.assign(window.bytes.get() + (record.offset - window.offset), size);
}

std::size_t JournalSpool::read_at(std::uint64_t offset, char* out, std::size_t size, std::size_t at_least) const {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(m_fd, out + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 && done >= at_least) break;  // the file's end, past what was asked for
    if (n <= 0)
      throw std::runtime_error("cannot read the journal spool in " + m_dir + ": " + (n == 0 ? "truncated" : std::strerror(errno)));
    done += static_cast<std::size_t>(n);
  }
  return done;
}

}  // namespace chaosgate
