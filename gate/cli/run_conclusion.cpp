#include "cli/run_conclusion.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>

#include "cli/phase_end.h"
#include "cli/table.h"
#include "cli/ticket_filing.h"
#include "report_writer.h"
#include "summary_markdown.h"
#include "util/errors.h"

namespace chaosgate::cli {

namespace {

// What failed around the verdict never hides it: a failed gate stays exit 1;
// a passing one is not green when its tickets or statuses went missing (2:
// the tracker set-up is wrong; 3: the status could not be published), unless
// the policy is --fail-on never. Sets run.exit_code (the reports show it) and
// adds the publishing problems not yet in run.notices.
void apply_side_effect_problems(RunResult& run, FailOn policy, bool tickets_failed, const StatusReporter& status) {
  for (const auto& problem : status.problems())
    if (std::find(run.notices.begin(), run.notices.end(), problem) == run.notices.end()) run.notices.push_back(problem);
  if (run.gate != "passed" || policy == FailOn::never) return;
  if (tickets_failed) {
    run.exit_code = k_exit_usage;
  } else if (!status.problems().empty()) {
    run.exit_code = k_exit_environment;
  }
}

// Also after a signal: an experiment that ended before it has its verdict,
// and a regression found then must reach its team (the aborted and skipped
// ones file nothing). Jira's and GitLab's requests are cut by the signal, so
// their changes go to the outbox at once (the next run delivers them); the
// file tracker writes its files. A filing that threw counts as one failure.
TicketFilingResult file_tickets(RunResult& run, const RunConclusion& step) {
  TicketFilingResult filed;
  if (!step.tracker) return filed;
  try {
    filed = file_run_tickets(run, *step.tracker, step.outbox, step.teams, step.options.out, step.priority_names);
    if (filed.failed > 0) run.notices.push_back(std::to_string(filed.failed) + " ticket(s) not filed or updated (see the job log)");
    if (filed.queued > 0)
      run.notices.push_back(std::to_string(filed.queued) + " ticket change(s) queued in " + step.outbox.dir() + ": " +
                            (step.interruption.interrupted() ? "the run was interrupted before they were sent"
                                                             : "the " + step.tracker->name() + " tracker was unavailable") +
                            "; the next run delivers them");
  } catch (const std::exception& e) {
    // The reports are still written and a failed gate stays exit 1.
    spdlog::error("no tickets filed or updated: {}", e.what());
    run.notices.push_back(std::string("no tickets filed or updated: ") + e.what());
    filed.failed = std::max<std::size_t>(filed.failed, 1);
  }
  return filed;
}

}  // namespace

int conclude_run(RunResult& run, const RunConclusion& step) {
  decide_gate(run, step.policy, step.interruption.signal());
  const TicketFilingResult tickets = file_tickets(run, step);
  const bool tickets_failed = tickets.failed > 0;
  end_phase("tickets");
  ReportOptions report_options;
  report_options.journal_spool = step.journal_spool;
  report_options.html = step.options.html;
  report_options.ticket_links = tickets.links;

  // `settle`: what fails to publish counts in the exit code and the notices.
  const auto publish_statuses = [&](bool settle) {
    step.status.finished(run);
    if (settle) apply_side_effect_problems(run, step.policy, tickets_failed, step.status);
    if (step.status.enabled()) {
      // GitLab's note limit is 1,000,000 characters; the hidden marker takes a few.
      step.status.summary(summary_markdown(run, {report_options.ticket_links, 999'000, step.options.html}));
      if (settle) apply_side_effect_problems(run, step.policy, tickets_failed, step.status);
    }
  };
  const auto report = [&] {
    print_results(std::cout, run);
    try {
      write_reports(run, step.options.out, report_options);
    } catch (const std::exception& e) {
      // Without reports the pipeline cannot show the verdict: an infrastructure
      // error, unless the gate already failed (a regression must stay exit 1).
      spdlog::error("reports not written to {}: {}", step.options.out, e.what());
      return false;
    }
    end_phase("reports");
    std::cout << "Reports in " << step.options.out << "/\n";
    return true;
  };
  // Statuses before the reports, so that what failed to publish is in them
  // and the exit code they show is the process's. After a signal the reports
  // come first: a CI runner's SIGKILL follows its SIGTERM within seconds and
  // the reports are what the job keeps. The statuses then get one attempt
  // each; what fails of them is logged but leaves the exit code the reports show.
  bool reported = false;
  if (step.interruption.interrupted()) {
    apply_side_effect_problems(run, step.policy, tickets_failed, step.status);
    reported = report();
    publish_statuses(false);
  } else {
    publish_statuses(true);
    reported = report();
  }
  if (!reported) return run.exit_code != k_exit_passed ? run.exit_code : k_exit_environment;
  return run.exit_code;
}

}  // namespace chaosgate::cli
