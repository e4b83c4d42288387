#include "tickets/ticket_sync.h"

#include <exception>

#include "model/enums.h"
#include "tickets/ticket.h"
#include "util/redact.h"

namespace chaosgate {

std::string action_name(TicketAction action) {
  switch (action) {
    case TicketAction::created: return "created";
    case TicketAction::commented: return "commented";
    case TicketAction::recovered: return "recovered";
    case TicketAction::queued: return "queued";
  }
  return "?";
}

std::map<std::string, std::string> TicketSyncResult::links() const {
  std::map<std::string, std::string> links;
  for (const auto& entry : entries) {
    const std::string target = entry.ticket.url.empty() ? entry.ticket.key : entry.ticket.url;
    if (target.empty() || entry.action == TicketAction::queued) continue;
    if (entry.action == TicketAction::recovered) {
      links.emplace(entry.experiment_id, target);  // keeps an earlier one
    } else {
      links[entry.experiment_id] = target;
    }
  }
  return links;
}

std::optional<PendingTicketChange> ticket_change(const RunResult& run, const ExperimentResult& result) {
  PendingTicketChange change;
  change.experiment_id = result.experiment.id;
  change.team = result.experiment.owner;
  change.run_id = run.run_id;
  change.queued_at = format_time(Clock::now());
  if (result.is_regression()) {
    change.kind = PendingTicketChange::Kind::regression;
    change.ticket = compose_ticket(run, result);
    change.label = change.ticket.fingerprint;
    change.comment = recurrence_comment(run, result);
    return change;
  }
  if (result.verdict == Verdict::passed || result.verdict == Verdict::flaky) {
    change.kind = PendingTicketChange::Kind::recovery;
    change.label = experiment_label(run.suite_name, result.experiment.id);
    change.comment = recovery_comment(run, result);
    return change;
  }
  return std::nullopt;
}

void apply_ticket_change(const PendingTicketChange& change, Tracker& tracker, std::vector<TicketSyncEntry>& out) {
  const auto open = tracker.find_open(change.team, change.label);
  if (change.kind == PendingTicketChange::Kind::regression) {
    if (!open.empty()) {
      tracker.comment(open.front(), change.comment);
      out.push_back({change.experiment_id, TicketAction::commented, open.front()});
    } else {
      out.push_back({change.experiment_id, TicketAction::created, tracker.create(change.ticket)});
    }
    return;
  }
  for (const auto& ticket : open) {
    tracker.resolve(ticket, change.comment);
    out.push_back({change.experiment_id, TicketAction::recovered, ticket});
  }
}

namespace {

// Queues `change` with its team's routing; false (and an error) when even the
// outbox cannot take it.
bool queue(PendingTicketChange change, const TicketSyncOptions& options, const std::string& why, TicketSyncResult& out) {
  if (const auto team = options.teams.find(change.team); team != options.teams.end()) {
    change.jira = team->second.jira;
    change.gitlab = team->second.gitlab;
  }
  try {
    options.outbox->add(change);
    out.entries.push_back({change.experiment_id, TicketAction::queued, {}});
    return true;
  } catch (const std::exception& spool_error) {
    out.errors.push_back({change.experiment_id, redact(why + "; and not queued: " + spool_error.what())});
    return false;
  }
}

}  // namespace

TicketSyncResult sync_tickets(const RunResult& run, Tracker& tracker, const TicketSyncOptions& options) {
  TicketSyncResult out;
  // Once the tracker is found unavailable (its adapter already retried), the
  // rest of the run's changes are queued without waiting for it again.
  std::optional<std::string> unavailable;
  if (options.tracker_known_unavailable) unavailable = tracker.name() + " tracker: unavailable";
  for (const auto& result : run.experiments) {
    auto change = ticket_change(run, result);
    if (!change) continue;
    if (const auto mapped = options.priority_names.find(enum_name(result.experiment.risk_level));
        mapped != options.priority_names.end() && change->kind == PendingTicketChange::Kind::regression) {
      change->ticket.priority = mapped->second;
    }
    if (unavailable && options.outbox) {
      queue(*change, options, *unavailable, out);
      continue;
    }
    try {
      apply_ticket_change(*change, tracker, out.entries);
    } catch (const TrackerUnavailable& e) {
      const std::string why = tracker.name() + " tracker: " + e.what();
      if (options.outbox) {
        unavailable = why;
        queue(*change, options, why, out);
      } else {
        out.errors.push_back({result.experiment.id, redact(why)});
      }
    } catch (const std::exception& e) {
      // One ticket failing (permission, bad project, bad index) must not cost
      // the others theirs; the caller reports the errors.
      out.errors.push_back({result.experiment.id, redact(tracker.name() + " tracker: " + e.what())});
    }
  }
  return out;
}

OutboxDelivery deliver_outbox(TicketOutbox& outbox, Tracker& tracker, bool remove_delivered) {
  OutboxDelivery delivery;
  std::vector<UnreadableChange> unreadable;
  const auto queued = outbox.pending(&unreadable);
  for (const auto& bad : unreadable) delivery.unreadable.push_back(bad.path + ": " + bad.message);
  std::size_t next = 0;
  for (; next < queued.size(); ++next) {
    const auto& item = queued[next];
    try {
      apply_ticket_change(item.change, tracker, delivery.entries);
      if (remove_delivered) {
        outbox.remove(item);
      } else {
        ++delivery.remaining;
      }
    } catch (const TrackerUnavailable& e) {
      delivery.tracker_unavailable = true;
      delivery.errors.push_back({item.change.experiment_id, redact(tracker.name() + " tracker: " + e.what())});
      break;
    } catch (const std::exception& e) {
      delivery.errors.push_back({item.change.experiment_id, redact(tracker.name() + " tracker: " + e.what())});
      ++delivery.remaining;
    }
  }
  delivery.remaining += queued.size() - next;
  return delivery;
}

}  // namespace chaosgate
