#include "util/process_memory.h"

#include <algorithm>
#include <charconv>

#include "util/file_text.h"

namespace chaosgate {

namespace {

// The kB figure of the line that starts with `key` ("VmRSS:\t  18236 kB").
std::optional<long> field_kib(std::string_view status, std::string_view key) {
  for (std::size_t at = 0; at < status.size();) {
    std::size_t end = status.find('\n', at);
    if (end == std::string_view::npos) end = status.size();
    std::string_view line = status.substr(at, end - at);
    at = end + 1;
    if (!line.starts_with(key)) continue;
    line.remove_prefix(key.size());
    const std::size_t digits = line.find_first_not_of(" \t");
    if (digits == std::string_view::npos) return std::nullopt;
    line.remove_prefix(digits);
    long kib = 0;
    const auto [rest, error] = std::from_chars(line.data(), line.data() + line.size(), kib);
    if (error != std::errc{} || std::string_view(rest, line.data() + line.size() - rest) != " kB") return std::nullopt;
    return kib;
  }
  return std::nullopt;
}

}  // namespace

std::optional<ProcessMemory> parse_process_status(std::string_view status) {
  const auto resident = field_kib(status, "VmRSS:");
  const auto peak = field_kib(status, "VmHWM:");
  if (!resident || !peak) return std::nullopt;
  return ProcessMemory{*resident, *peak};
}

ProcessMemory with_highest_peak(ProcessMemory now, std::atomic<long>& highest) {
  long seen = highest.load();
  const long peak = std::max(now.peak_kib, now.resident_kib);
  while (seen < peak && !highest.compare_exchange_weak(seen, peak)) {
  }
  now.peak_kib = std::max(peak, seen);
  return now;
}

std::optional<ProcessMemory> process_memory() {
  static std::atomic<long> highest{0};
  const FileText status = read_file_text("/proc/self/status");
  const auto memory = status ? parse_process_status(status.text) : std::nullopt;
  return memory ? std::optional(with_highest_peak(*memory, highest)) : std::nullopt;
}

}  // namespace chaosgate
