#include "tickets/ticket_sync.h"

#include <exception>
#include <iterator>
#include <set>

#include "model/enums.h"
#include "model/experiment_results.h"
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

namespace {
// A pass, or a pass on a retry: proof that a ticketed regression recovered.
bool is_recovery(Verdict verdict) { return verdict == Verdict::passed || verdict == Verdict::flaky; }
}  // namespace

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
  if (is_recovery(result.verdict)) {
    change.kind = PendingTicketChange::Kind::recovery;
    change.label = experiment_label(run.suite_name, result.experiment.id);
    change.comment = recovery_comment(run, result);
    return change;
  }
  return std::nullopt;
}

void apply_ticket_change(const PendingTicketChange& change, Tracker& tracker, std::vector<TicketSyncEntry>& out,
                         const std::vector<TicketRef>* known_open) {
  const auto open = known_open ? *known_open : tracker.find_open(change.team, change.label);
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

using OpenByLabel = std::map<std::string, std::vector<TicketRef>>;

// What the run's recoveries were found to have open. A label is the suite's
// and one experiment's id, so one team's: the teams' answers go in one map.
struct RecoveryLookup {
  bool asked = false;                 // false when the tracker was unavailable before it
  OpenByLabel open;                   // the open tickets found; a label left out has none
  std::set<std::string> unanswered;   // the labels of the teams whose lookup failed

  // The open tickets of a recovery's label as its team's lookup found them;
  // nullptr when that is not known (its change asks find_open itself).
  const std::vector<TicketRef>* known_open(const std::string& label) const {
    if (!asked || unanswered.count(label) != 0) return nullptr;
    static const std::vector<TicketRef> k_none;
    const auto found = open.find(label);
    return found == open.end() ? &k_none : &found->second;
  }
  // A pass with nothing to resolve, known from its label alone, so that it is
  // neither read back nor given a change.
  bool recovers_nothing(const std::string& label) const {
    const auto* tickets = known_open(label);
    return tickets != nullptr && tickets->empty();
  }
};

// The open tickets of the run's recoveries: find_open_each per team, for up
// to k_labels_per_lookup labels at a time. A team whose lookup fails for
// another reason than unavailability has those labels left out: their changes
// ask find_open one at a time, and each gets its own error as before.
// TrackerUnavailable propagates. (Only the labels are gathered first: the
// changes themselves, with their comments, are made one at a time.)
RecoveryLookup look_up_recoveries(const RunResult& run, Tracker& tracker) {
  // Every label of an all-green run of 10,000 at once was ~1 MB (the labels,
  // the file tracker's set of them): the peak of its tickets phase. Jira
  // searches 50 at a time anyway; GitLab lists its open issues once a lookup.
  constexpr std::size_t k_labels_per_lookup = 2000;
  RecoveryLookup lookup;
  const auto ask = [&](const std::string& team, std::vector<std::string>& labels) {
    try {
      lookup.open.merge(tracker.find_open_each(team, labels));
    } catch (const TrackerUnavailable&) {
      throw;
    } catch (const std::exception&) {
      // Asked again per change below, where the error is recorded against each experiment.
      lookup.unanswered.insert(std::make_move_iterator(labels.begin()), std::make_move_iterator(labels.end()));
    }
    labels.clear();
  };
  std::map<std::string, std::vector<std::string>> waiting;  // team -> labels not asked about yet
  for (const auto& result : ExperimentResults(run)) {
    if (!is_recovery(result.verdict)) continue;
    auto& labels = waiting[result.experiment.owner];
    labels.push_back(experiment_label(run.suite_name, result.experiment.id));
    if (labels.size() == k_labels_per_lookup) ask(result.experiment.owner, labels);
  }
  for (auto& [team, labels] : waiting)
    if (!labels.empty()) ask(team, labels);
  lookup.asked = true;
  return lookup;
}

}  // namespace

TicketSyncResult sync_tickets(const RunResult& run, Tracker& tracker, const TicketSyncOptions& options) {
  TicketSyncResult out;
  // Once the tracker is found unavailable (its adapter already retried), the
  // rest of the run's changes are queued without waiting for it again.
  std::optional<std::string> unavailable;
  if (options.tracker_known_unavailable) unavailable = tracker.name() + " tracker: unavailable";
  // Passing experiments are looked up together: one search per team, not one per experiment.
  RecoveryLookup lookup;
  if (!unavailable) {
    try {
      lookup = look_up_recoveries(run, tracker);
    } catch (const TrackerUnavailable& e) {
      // With an outbox everything is queued below; without one each change tries and records its own error.
      if (options.outbox) unavailable = tracker.name() + " tracker: " + e.what();
    }
  }
  const ExperimentResults results(run);
  ExperimentResult scratch;
  for (std::size_t position = 0; position < results.size(); ++position) {
    // A pass the lookup found nothing open for (most passes) is skipped
    // before its result is read back (`run` reads a passed result from the
    // journal spool) or its change (a redacted copy and a comment) is built.
    if (is_recovery(results.verdict(position)) && lookup.recovers_nothing(experiment_label(run.suite_name, results.id(position))))
      continue;
    const ExperimentResult& result = results.at(position, scratch);
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
      apply_ticket_change(*change, tracker, out.entries,
                          change->kind == PendingTicketChange::Kind::recovery ? lookup.known_open(change->label) : nullptr);
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
