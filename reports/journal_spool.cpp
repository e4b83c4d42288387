#include "journal_spool.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
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
}  // namespace

JournalSpool::JournalSpool(const std::string& dir, std::size_t positions) : m_dir(dir), m_records(positions) {
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
  m_records[position] = {at, text.size()};
  return true;
}

bool JournalSpool::read(std::size_t position, std::string& text) const {
  Record record;
  {
    std::lock_guard lock(m_mutex);
    if (position >= m_records.size() || m_records[position].size == 0) return false;
    record = m_records[position];
  }
  text.resize(static_cast<std::size_t>(record.size));
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::pread(m_fd, text.data() + done, text.size() - done, static_cast<off_t>(record.offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw std::runtime_error("cannot read the journal spool in " + m_dir + ": " + (n == 0 ? "truncated" : std::strerror(errno)));
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace chaosgate
