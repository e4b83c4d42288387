#include "cli/phase_end.h"

#include <spdlog/spdlog.h>

#include "util/process_memory.h"
#include "util/release_memory.h"

namespace chaosgate::cli {

void end_phase(const char* phase) {
  release_free_memory();
  if (!spdlog::should_log(spdlog::level::debug)) return;
  if (const auto memory = process_memory())
    spdlog::debug("memory after {}: {:.1f} MiB resident, peak so far {:.1f} MiB", phase, memory->resident_kib / 1024.0,
                  memory->peak_kib / 1024.0);
}

}  // namespace chaosgate::cli
