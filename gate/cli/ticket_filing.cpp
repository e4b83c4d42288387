#include "cli/ticket_filing.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "tickets/ticket_sync.h"

namespace chaosgate::cli {

namespace {

void log_entry(const TicketSyncEntry& entry, const Tracker& tracker) {
  if (entry.action == TicketAction::queued) {
    spdlog::warn("{}: {} tracker unavailable: ticket change queued in the outbox for the next run", entry.experiment_id,
                 tracker.name());
  } else {
    spdlog::info("{}: ticket {} {}", entry.experiment_id, entry.ticket.key, action_name(entry.action));
  }
}

// A file ticket is named by its path relative to the output directory, where
// summary.md sits next to tickets/ (an absolute path means nothing in a job
// artifact). Web links stay as they are.
void relativise(std::map<std::string, std::string>& links, const std::string& out_dir) {
  for (auto& [id, link] : links) {
    if (link.rfind("http://", 0) == 0 || link.rfind("https://", 0) == 0) continue;
    std::error_code error;
    const auto relative = std::filesystem::relative(link, out_dir, error);
    if (!error && !relative.empty() && relative.native().rfind("..", 0) != 0) link = relative.string();
  }
}

}  // namespace

std::map<std::string, Team> with_queued_routes(std::map<std::string, Team> teams, const TicketOutbox& outbox) {
  for (const auto& queued : outbox.pending()) {
    const auto& change = queued.change;
    if (teams.count(change.team) != 0) continue;
    teams[change.team] = Team{change.team, change.team, change.jira, change.gitlab, {}};
  }
  return teams;
}

TicketFilingResult flush_outbox(TicketOutbox& outbox, Tracker& tracker, bool dry_run) {
  TicketFilingResult result;
  const auto delivery = deliver_outbox(outbox, tracker, !dry_run);
  for (const auto& entry : delivery.entries) {
    spdlog::info("outbox: {}: ticket {} {}{} (queued by an earlier run)", entry.experiment_id, entry.ticket.key,
                 dry_run ? "would be " : "", action_name(entry.action));
  }
  for (const auto& error : delivery.errors) spdlog::error("outbox: {}: {}", error.experiment_id, error.message);
  for (const auto& file : delivery.unreadable) spdlog::error("outbox: not a queued ticket change, kept: {}", file);
  result.failed = delivery.errors.size() - (delivery.tracker_unavailable ? 1 : 0);
  result.queued = delivery.remaining;
  result.tracker_unavailable = delivery.tracker_unavailable;
  return result;
}

TicketFilingResult file_run_tickets(const RunResult& run, Tracker& tracker, TicketOutbox& outbox,
                                    const std::map<std::string, Team>& teams, const std::string& out_dir,
                                    const std::map<std::string, std::string>& priority_names) {
  TicketFilingResult result = flush_outbox(outbox, tracker);
  TicketSyncOptions options;
  options.outbox = &outbox;
  options.teams = teams;
  options.tracker_known_unavailable = result.tracker_unavailable;
  options.priority_names = priority_names;
  const auto synced = sync_tickets(run, tracker, options);
  for (const auto& entry : synced.entries) {
    log_entry(entry, tracker);
    if (entry.action == TicketAction::queued) {
      ++result.queued;
      result.tracker_unavailable = true;
    }
  }
  for (const auto& error : synced.errors) spdlog::error("{}: ticket not filed: {}", error.experiment_id, error.message);
  result.failed += synced.errors.size();
  result.links = synced.links();
  relativise(result.links, out_dir);
  return result;
}

}  // namespace chaosgate::cli
