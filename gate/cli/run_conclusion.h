#pragma once
// Step 5 of a run, once the experiments are over: the verdict, the tickets,
// the commit status and the reports, in the order that keeps what matters
// when a CI runner kills the job (after a signal the reports come before the
// statuses). Returns the process's exit code.
#include <map>
#include <string>

#include "cli/run_gate.h"
#include "cli/status_setup.h"
#include "engine/gate_decision.h"
#include "engine/interruption.h"
#include "model/run_result.h"
#include "tickets/outbox.h"
#include "tickets/tracker.h"

namespace chaosgate {
class JournalSpool;
}

namespace chaosgate::cli {

// What the earlier steps set up for this one (step 3: the tracker, null for
// --tracker none, its outbox and the status reporter).
struct RunConclusion {
  const RunOptions& options;
  FailOn policy;
  const Interruption& interruption;  // read again after the tickets: a signal may come during them
  Tracker* tracker;
  TicketOutbox& outbox;
  const std::map<std::string, Team>& teams;
  const std::map<std::string, std::string>& priority_names;
  StatusReporter& status;
  const JournalSpool* journal_spool;  // the passed experiments' records, null without a spool (report_writer.h)
};

int conclude_run(RunResult& run, const RunConclusion& step);

}  // namespace chaosgate::cli
