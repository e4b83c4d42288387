#pragma once
// The engine's seams to the outside world. The engine orchestrates and
// judges; adapters/ performs the I/O behind these interfaces (real HTTP, TCP,
// processes, signals), and tests substitute fakes that record what they got.
#include <chrono>
#include <optional>
#include <string>

#include "engine/cancellation.h"
#include "model/suite.h"

namespace chaosgate {

// What one probe sample saw, before judging. `reached` is false when the
// probe could not observe at all (connection refused, timeout, command not
// found, empty PromQL result): `error` says why.
struct Observation {
  bool reached = false;
  std::string error;
  long status = 0;          // http
  std::string body;         // http body or command stdout+stderr (bounded)
  int exit_code = -1;       // command
  std::optional<double> value;  // prometheus
  double latency_ms = 0;    // from sending to the last byte / connect / exit
};

class ProbeDriver {
public:
  virtual ~ProbeDriver() = default;
  // Takes one sample. Never throws for failures of the observed system: they
  // are an Observation with reached=false. Bounded by the probe's timeout.
  // `stop` (the experiment's abort; null where a sample must finish, as in
  // the fault window, whose samples are judged) gives an http, PromQL or
  // command probe up early, with an `error` that starts "cut short: ".
  virtual Observation sample(const Probe& probe, const Cancellation* stop) = 0;
  Observation sample(const Probe& probe) { return sample(probe, nullptr); }
};

struct ActionOutcome {
  bool ok = false;
  std::string detail;  // "exit 0", "HTTP 204", "SIGSTOP -> pid 4242", or the error
};

class ActionDriver {
public:
  virtual ~ActionDriver() = default;
  // Performs a command, http or signal action within `timeout` (the smaller of
  // the action's own timeout and what the experiment has left). Never throws
  // for failures of the target system; they are ok=false with the reason.
  // Pauses are the engine's own business and never reach a driver.
  // `stop` (null for rollbacks: an undo runs to its end) cuts a command short
  // when the experiment is aborted or the gate interrupted, so the rollbacks
  // start at once rather than after a long fault command's timeout.
  virtual ActionOutcome perform(const Action& action, std::chrono::milliseconds timeout, const Cancellation* stop) = 0;
};

}  // namespace chaosgate
