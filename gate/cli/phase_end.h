#pragma once
// The end of one of a run's phases (loading, planning, executing, tickets,
// reports...): what it freed goes back to the kernel, and at -v the run's
// memory after it is logged (resident now, the peak so far), so the gate's
// own memory can be read off any run, phase by phase (bench/run reads these
// lines).
namespace chaosgate::cli {

void end_phase(const char* phase);

}  // namespace chaosgate::cli
