#pragma once
// A regression ticket as the gate wants it filed, independent of any tracker:
// the file tracker writes it as Markdown + JSON, a Jira or GitLab adapter maps
// it onto its API (labels, priority, sub-tasks or a task list, attachments).
// Everything in a Ticket has already been through redact(): adapters may send
// it as is.
#include <string>
#include <string_view>
#include <vector>

#include "model/run_result.h"

namespace chaosgate {

// A file attached to the ticket.
struct TicketAttachment {
  std::string name;        // "risk-cart-survives-redis-pause.json": safe as a file name
  std::string media_type;  // "application/json", "text/markdown"
  std::string content;
};

// A follow-up task of the experiment: a Jira sub-task, a GitLab task-list item.
struct TicketTask {
  std::string title;
  std::string description;  // may be empty
};

struct Ticket {
  std::string experiment_id;
  std::string team;         // the owning team's id: adapters route by it (Jira project, GitLab project)
  std::string fingerprint;  // the regression's fingerprint; also one of `labels`
  std::string experiment_label;  // experiment_label(suite, id); also one of `labels`
  std::string summary;      // "[chaos regression] <experiment title> (<service>)"
  // "chaosgate", "chaos-regression", the fingerprint, the experiment label,
  // "risk:<level>", "attack:<group>".
  std::vector<std::string> labels;
  std::string priority;     // "Highest", "High", "Medium" or "Low" (from the risk level)
  std::string body;         // Markdown
  std::vector<TicketTask> tasks;                 // also a "- [ ] " checklist in `body`
  std::vector<TicketAttachment> attachments;     // risk-<experiment>.json, evidence-<experiment>.md
};

// The ticket priority of a risk level: critical -> "Highest", high -> "High",
// medium -> "Medium", low -> "Low".
std::string ticket_priority(RiskLevel level);

// The label every ticket of one experiment carries, whatever probe deviated:
// "cg-exp-" + 16 hex digits of sha256(suite name, experiment id). It lets a
// tracker find the open tickets of an experiment that passes again with one
// label search. Hashed (like the fingerprint) because suite names are free
// text and labels may not contain spaces, and because two suites may use the
// same experiment id in one team's project.
std::string experiment_label(std::string_view suite_name, std::string_view experiment_id);

// The investigation ticket for `result`, a regression of `run` (its verdict
// should be failed; for other verdicts the "what deviated" part says what is
// known). `result.fingerprint` is used as is; when empty (a result that never
// failed) it is computed from the deviated probe.
Ticket compose_ticket(const RunResult& run, const ExperimentResult& result);

// The comment for an open ticket whose regression happened again: release,
// commit, pipeline and job links, the deviated probe with expected and
// observed values. Markdown, redacted.
std::string recurrence_comment(const RunResult& run, const ExperimentResult& result);

// The comment for an open ticket whose experiment passed (or was flaky: failed,
// then passed on retry) in `run`. Markdown, redacted.
std::string recovery_comment(const RunResult& run, const ExperimentResult& result);

}  // namespace chaosgate
