#pragma once
// At -v: what the run holds after a phase (resident now, the peak so far),
// so the gate's own memory can be read off any run, phase by phase
// (bench/run reads these lines).
namespace chaosgate::cli {

void log_memory(const char* after);

}  // namespace chaosgate::cli
