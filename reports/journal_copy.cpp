#include "journal_copy.h"

#include <filesystem>
#include <stdexcept>

namespace chaosgate {

JournalCopy::JournalCopy(const std::string& from, const std::string& out_dir)
    : m_from(from), m_to(out_dir + "/journal.json"), m_out_dir(out_dir) {
  // Problems here (an --out that is a file, a missing journal) are left to be
  // reported in their usual order: reading the journal first, then commit().
  std::error_code error;
  m_made_dir = std::filesystem::create_directories(out_dir, error);
  if (error) return;
  if (std::filesystem::exists(m_to, error) && std::filesystem::equivalent(m_from, m_to, error)) {
    m_same = true;
    return;
  }
  try {
    m_file = std::make_unique<AtomicFile>(m_to);
  } catch (const std::runtime_error&) {
    return;
  }
  m_copying = std::async(std::launch::async, [this] {
    m_file->append_file(m_from);
    m_file->sync();  // the fsync too, off the reading's path
  });
}

JournalCopy::~JournalCopy() {
  if (m_committing.valid()) m_committing.wait();
  if (m_copying.valid()) m_copying.wait();
  if (m_committed) return;
  m_file.reset();  // removes the temp file
  std::error_code ignored;
  if (m_made_dir && std::filesystem::is_empty(m_out_dir, ignored)) std::filesystem::remove(m_out_dir, ignored);
}

void JournalCopy::commit() {
  if (m_same) {
  } else if (m_file) {
    start_commit();
    m_committing.get();
  } else {
    copy_file_atomically(m_from, m_to);  // not started: fails here, naming the file
  }
  m_committed = true;
}

void JournalCopy::start_commit() {
  if (m_same || !m_file || m_committing.valid()) return;
  m_committing = std::async(std::launch::async, [this] {
    m_copying.get();
    m_file->commit();
  });
}

}  // namespace chaosgate
