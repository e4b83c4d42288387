#include "cli/memory_log.h"

#include <spdlog/spdlog.h>

#include "util/process_memory.h"

namespace chaosgate::cli {

void log_memory(const char* after) {
  if (!spdlog::should_log(spdlog::level::debug)) return;
  if (const auto memory = process_memory())
    spdlog::debug("memory after {}: {:.1f} MiB resident, peak so far {:.1f} MiB", after, memory->resident_kib / 1024.0,
                  memory->peak_kib / 1024.0);
}

}  // namespace chaosgate::cli
