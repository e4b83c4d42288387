#pragma once
// After a run: one ticket per regression in its team's tracker project, a
// comment when the regression is already ticketed, a recovery note when a
// ticketed experiment passes again (design section 5).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/run_result.h"
#include "model/suite.h"
#include "tickets/outbox.h"
#include "tickets/tracker.h"

namespace chaosgate {

enum class TicketAction {
  created,    // a regression without an open ticket: a new investigation ticket
  commented,  // a regression with an open ticket: recurrence comment on it
  recovered,  // a pass (or flaky) with open tickets: recovery comment, ticket resolved
  queued,     // the tracker was unavailable: the change waits in the outbox
};

// Spelling for logs: "created", "commented", "recovered", "queued".
std::string action_name(TicketAction action);

struct TicketSyncEntry {
  std::string experiment_id;
  TicketAction action = TicketAction::created;
  TicketRef ticket;  // empty for `queued`
};

struct TicketSyncError {
  std::string experiment_id;
  std::string message;  // redacted; names the tracker
};

struct TicketSyncResult {
  std::vector<TicketSyncEntry> entries;  // in the run's experiment order
  std::vector<TicketSyncError> errors;   // tickets that could not be filed or updated

  // Experiment id -> the ticket's URL, or its key when the tracker gave no
  // URL; for summary.md (ReportOptions::ticket_links). A regression's ticket
  // wins over a recovered one; of several recovered tickets, the first.
  std::map<std::string, std::string> links() const;
};

struct TicketSyncOptions {
  // Where changes go when the tracker is unavailable; none: they are errors.
  TicketOutbox* outbox = nullptr;
  // The suite's teams by id: their routing is queued with a change.
  std::map<std::string, Team> teams;
  // The outbox could not be delivered just now: queue every change at once
  // instead of waiting for the tracker's retries again.
  bool tracker_known_unavailable = false;
  // Risk level ("critical", "high", "medium", "low") -> the tracker's priority
  // name, over ticket_priority()'s default (a project with "Blocker", "P1"...).
  std::map<std::string, std::string> priority_names;
};

// The change `result` asks of its team's tracker: a regression (failed) or a
// recovery (passed, flaky); nullopt for verdicts that prove nothing (error,
// skipped, aborted).
std::optional<PendingTicketChange> ticket_change(const RunResult& run, const ExperimentResult& result);

// Applies one change:
//   regression -> find_open(team, fingerprint): comment on the oldest open
//                 ticket, else create the ticket;
//   recovery   -> find_open(team, experiment label): resolve each.
// `known_open`, when given, is find_open's answer already looked up (a run's
// recoveries are looked up together). Appends what it did to `out`; tracker
// exceptions propagate.
void apply_ticket_change(const PendingTicketChange& change, Tracker& tracker, std::vector<TicketSyncEntry>& out,
                         const std::vector<TicketRef>* known_open = nullptr);

// Applies ticket_change() of each experiment of `run`, in order; the open
// tickets of all its recoveries are first looked up with one find_open_each
// per team. When the
// tracker throws TrackerUnavailable and an outbox is given, that change and
// every later one are queued (entry `queued`) without calling the tracker
// again; any other exception is recorded in `errors` and the other
// experiments go on. Nothing is thrown.
TicketSyncResult sync_tickets(const RunResult& run, Tracker& tracker, const TicketSyncOptions& options = {});

struct OutboxDelivery {
  std::vector<TicketSyncEntry> entries;  // delivered changes
  std::vector<TicketSyncError> errors;   // changes that failed for good reasons (4xx); they stay queued
  std::vector<std::string> unreadable;   // "<file>: <why>": files that are not changes; kept
  std::size_t remaining = 0;             // still queued afterwards
  bool tracker_unavailable = false;      // delivery stopped: the tracker is still down
};

// Delivers the outbox's changes oldest first, removing each once applied
// (unless `remove_delivered` is false: a dry run). Stops at the first
// TrackerUnavailable (the rest stay queued, in order); a change failing
// otherwise stays queued and the next one is tried.
OutboxDelivery deliver_outbox(TicketOutbox& outbox, Tracker& tracker, bool remove_delivered = true);

}  // namespace chaosgate
