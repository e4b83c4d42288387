#pragma once
// `chaosgate report` copies its input journal into the report directory. The
// copy (~200 MB for 10,000 experiments: a quarter of the command's CPU) runs
// on another thread while the same journal is being read, and appears only
// once the reports are written: a journal that cannot be read is not copied.
#include <future>
#include <memory>
#include <string>

#include "util/atomic_file.h"

namespace chaosgate {

class JournalCopy {
public:
  // Starts copying `from` to `out_dir`/journal.json (creating `out_dir`),
  // unless that already is `from`.
  JournalCopy(const std::string& from, const std::string& out_dir);
  // Without commit() the copy is dropped, and so is `out_dir` if this made it
  // and it is still empty.
  ~JournalCopy();
  JournalCopy(const JournalCopy&) = delete;
  JournalCopy& operator=(const JournalCopy&) = delete;

  // Waits for the copy and puts it in place. Throws std::runtime_error naming
  // the file on an I/O error.
  void commit();
  // Lets the copying thread put the copy in place as soon as it is complete,
  // as commit() would: the rename (and freeing a journal it replaces, ~45 ms
  // for 200 MB) overlaps the caller's work. commit() then waits for it and
  // reports its error.
  void start_commit();

private:
  std::string m_from;
  std::string m_to;
  std::string m_out_dir;
  bool m_made_dir = false;
  bool m_same = false;  // the journal already is out_dir/journal.json
  bool m_committed = false;
  std::unique_ptr<AtomicFile> m_file;  // null: not started (see commit())
  std::future<void> m_copying;
  std::future<void> m_committing;  // valid once start_commit() ran
};

}  // namespace chaosgate
