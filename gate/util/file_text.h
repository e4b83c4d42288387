#pragma once
// A whole file read into memory, the one way every command reads one: a read
// error is noticed (reading a stream to its end hides it), and the reason is
// the system's own ("No such file or directory", "Is a directory",
// "Permission denied"), for messages that say why as well as which file.
#include <cstddef>
#include <functional>
#include <limits>
#include <string>
#include <string_view>

namespace chaosgate {

struct FileText {
  enum class Status { read, missing, unreadable, too_large };
  Status status = Status::read;
  std::string text;    // the bytes, when read
  std::string reason;  // otherwise: the system's reason, or "larger than the limit of N bytes"

  explicit operator bool() const { return status == Status::read; }
};

// The bytes of the file at `path`. Reads in chunks of at most 64 KiB, never
// zeroed first (a zeroed 64 KiB buffer was 16 page faults of every run of a
// small suite), and stops once past `max_bytes`: the file may grow while it is
// read. Files that report no size (/proc) are read whole all the same.
FileText read_file_text(const std::string& path, std::size_t max_bytes = std::numeric_limits<std::size_t>::max());

// The same reading, each chunk handed to `take` as it is read instead of
// kept (FileText::text stays empty). `take` returns false to stop: the
// result is then `unreadable` with an empty reason, the taker's to give.
FileText read_file_chunks(const std::string& path, std::size_t max_bytes,
                          const std::function<bool(std::string_view)>& take);

}  // namespace chaosgate
