#pragma once
// After a run: deliver what earlier runs queued, then file this run's tickets,
// logging each ticket and each failure. Shared by `run` and `tickets flush`.
#include <map>
#include <string>

#include "model/run_result.h"
#include "model/suite.h"
#include "tickets/outbox.h"
#include "tickets/tracker.h"

namespace chaosgate::cli {

struct TicketFilingResult {
  std::map<std::string, std::string> links;  // experiment id -> ticket, for summary.md
  std::size_t failed = 0;   // tickets neither filed nor queued (a 4xx, a broken index)
  std::size_t queued = 0;   // changes waiting in the outbox afterwards
  bool tracker_unavailable = false;
};

// The routes queued changes carry, for teams `teams` does not know (a suite
// that changed since, or `tickets flush` without a suite). The outbox is
// listed again when it is delivered, after the experiments, on purpose:
// another gate sharing the state directory may have queued changes meanwhile.
std::map<std::string, Team> with_queued_routes(std::map<std::string, Team> teams, const TicketOutbox& outbox);

// Delivers the outbox (oldest first). Logs each delivered change and error.
// A dry run keeps every change queued.
TicketFilingResult flush_outbox(TicketOutbox& outbox, Tracker& tracker, bool dry_run = false);

// flush_outbox(), then sync_tickets() for `run` with the outbox: regressions
// the tracker cannot take now are queued. Ticket links are made relative to
// `out_dir` when they are files below it (summary.md sits there).
TicketFilingResult file_run_tickets(const RunResult& run, Tracker& tracker, TicketOutbox& outbox,
                                    const std::map<std::string, Team>& teams, const std::string& out_dir,
                                    const std::map<std::string, std::string>& priority_names = {});

}  // namespace chaosgate::cli
