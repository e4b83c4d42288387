#pragma once
// Files that appear whole or not at all: written to a temp file in the same
// directory, fsynced, then renamed over the target. A reader (CI uploading
// artifacts, a second chaosgate) never sees half a report.
#include <string>
#include <string_view>

namespace chaosgate {

class AtomicFile {
public:
  // Opens `path`.tmp.<pid>. Throws std::runtime_error naming `path`.
  explicit AtomicFile(std::string path);
  // Without commit() the temp file is removed and the target left as it was.
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Buffered; large documents are written in pieces, never held whole.
  void append(std::string_view text);
  // Appends the content of the file `from`, a chunk at a time. Throws
  // std::runtime_error naming `from` when it cannot be read.
  void append_file(const std::string& from);
  // Flushes and fsyncs what was appended so far (commit() then only fsyncs
  // again if more was appended): lets a copy be made durable on another
  // thread before the moment it may replace the target.
  void sync();
  // Flushes, fsyncs and renames over the target.
  void commit();

private:
  void flush();
  void write_all(const char* data, std::size_t size);
  [[noreturn]] void fail(int error);

  std::string m_path;
  std::string m_temp;
  std::string m_buffer;
  int m_fd = -1;
  bool m_synced = false;
};

// Writes `content` to `path` atomically.
void write_file_atomically(const std::string& path, std::string_view content);

// Copies `from` to `to` atomically, byte for byte, without reading it into memory.
void copy_file_atomically(const std::string& from, const std::string& to);

}  // namespace chaosgate
