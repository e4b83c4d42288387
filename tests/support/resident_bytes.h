#pragma once
// How much of the mapping at `address` is in this process's memory, from
// /proc/self/smaps. mincore() cannot tell for a file's mapping: it answers
// whether the page cache holds a page, not whether the process maps it.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

namespace chaosgate::test {

// Resident bytes of the mapping that starts at `address`; -1 when there is none.
inline long long mapping_resident_bytes(const void* address) {
  std::ifstream smaps("/proc/self/smaps");
  const auto wanted = reinterpret_cast<std::uintptr_t>(address);
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    unsigned long long start = 0;
    unsigned long long end = 0;
    if (std::sscanf(line.c_str(), "%llx-%llx ", &start, &end) == 2 && line.find(':') > line.find(' ')) {
      inside = start == wanted;
      continue;
    }
    long long kib = 0;
    if (inside && std::sscanf(line.c_str(), "Rss: %lld kB", &kib) == 1) return kib * 1024;
  }
  return -1;
}

}  // namespace chaosgate::test
