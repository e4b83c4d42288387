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
  std::lock_guard lock(m_mutex);
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::pwrite(m_fd, text.data() + written, text.size() - written, static_cast<off_t>(m_end + written));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;  // the next record overwrites what was written
    written += static_cast<std::size_t>(n);
  }
  m_records[position] = {m_end, text.size()};
  m_end += text.size();
  return true;
}

bool JournalSpool::has(std::size_t position) const {
  std::lock_guard lock(m_mutex);
  return position < m_records.size() && m_records[position].size > 0;
}

void JournalSpool::append_record(AtomicFile& file, std::size_t position) const {
  Record record;
  {
    std::lock_guard lock(m_mutex);
    record = m_records.at(position);
  }
  char buffer[16384];
  std::uint64_t done = 0;
  while (done < record.size) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(sizeof buffer, record.size - done));
    const ssize_t n = ::pread(m_fd, buffer, want, static_cast<off_t>(record.offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw std::runtime_error("cannot read the journal spool in " + m_dir + ": " + (n == 0 ? "truncated" : std::strerror(errno)));
    file.append(std::string_view(buffer, static_cast<std::size_t>(n)));
    done += static_cast<std::uint64_t>(n);
  }
}

}  // namespace chaosgate
