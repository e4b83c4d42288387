// `chaosgate tickets flush`: deliver the ticket changes earlier runs queued
// while the tracker was down, without running anything.
#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/ticket_filing.h"
#include "cli/tracker_setup.h"
#include "util/errors.h"

namespace chaosgate::cli {

namespace {

struct FlushOptions {
  TrackerOptions tracker;
  std::string out = "out";
};

int flush(const FlushOptions& options) {
  TicketOutbox outbox(outbox_dir(options.tracker));
  const auto tracker = make_tracker(options.tracker, options.out, with_queued_routes({}, outbox));
  if (!tracker) throw UserError("tickets flush: --tracker none cannot deliver anything; name the tracker the changes are for");
  const auto result = flush_outbox(outbox, *tracker, options.tracker.dry_run);
  if (options.tracker.dry_run) {
    std::cout << "Dry run: nothing was sent; " << result.queued << " ticket change(s) stay queued (" << outbox.dir() << ")\n";
  } else {
    std::cout << (result.queued == 0 ? "Outbox empty" : std::to_string(result.queued) + " ticket change(s) still queued")
              << " (" << outbox.dir() << ")\n";
  }
  if (result.tracker_unavailable) return k_exit_environment;
  if (options.tracker.dry_run) return result.failed > 0 ? k_exit_usage : k_exit_passed;
  return result.failed > 0 || result.queued > 0 ? k_exit_usage : k_exit_passed;
}

}  // namespace

CommandSpec tickets_command() {
  return {"tickets", "Ticket housekeeping: deliver changes queued while the tracker was unavailable",
          "  chaosgate tickets flush --tracker jira --state-dir .chaosgate\n"
          "  chaosgate tickets flush --tracker gitlab --gitlab-url https://gitlab.example.com/api/v4\n"
          "  chaosgate tickets flush --tracker jira --dry-run",
          [](CLI::App& command) {
            auto options = std::make_shared<FlushOptions>();
            command.require_subcommand(1);
            CLI::App* flush_command = command.add_subcommand(
                "flush", "Deliver the outbox: each change re-checks for an open ticket first, so nothing is duplicated");
            add_tracker_options(*flush_command, options->tracker);
            flush_command->add_option("--out", options->out, "Where the file tracker writes tickets/")->capture_default_str();
            flush_command->add_flag("--dry-run", options->tracker.dry_run,
                                    "Print the requests that would create or update tickets (secrets redacted); send none, keep the outbox");
            flush_command->footer("Exit codes: 0 outbox empty; 2 a change was rejected (stays queued);\n"
                                  "3 the tracker is still unavailable (the rest stays queued).");
            return [options] { return flush(*options); };
          }};
}

}  // namespace chaosgate::cli
