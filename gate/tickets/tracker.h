#pragma once
// The seam between the gate and an issue tracker. The domain owns this port
// (as engine/ports.h owns the drivers' seams); adapters/trackers implements
// it: the embedded file tracker, later Jira and GitLab. Tests use fakes that
// record what they received.
//
// Every lookup is one label search in the owning team's project, because that
// is the query all three can answer: Jira `project = X AND labels = "L" AND
// statusCategory != Done`, GitLab `GET /projects/:id/issues?labels=L&state=opened`,
// the file tracker a scan of its index. The sync looks up
//   - a regression by its fingerprint label (one ticket per deviated probe), and
//   - a passing experiment by its experiment label (experiment_label()), since
//     a pass has no deviated probe and so no fingerprint.
// compose_ticket() puts both labels on every ticket. A run's passing
// experiments are looked up together (find_open_each), so an all-green run of
// 200 experiments asks a remote tracker a few searches, not 200.
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "tickets/ticket.h"

namespace chaosgate {

// The tracker could not be reached, or kept answering 429/502/503/504, after
// the adapter's bounded retries. The request may succeed later unchanged, so
// ticket sync spools it to the outbox instead of dropping it. Any other
// failure (a 4xx: bad project, bad token) is a plain std::runtime_error with
// the tracker's own message: retrying it later would fail the same way.
class TrackerUnavailable : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Where a ticket lives.
struct TicketRef {
  std::string key;  // "CHAOS-7", "SHOP-123", "group/project#42"
  std::string url;  // where a person opens it (web page, or the file tracker's Markdown file); may be empty
};

// Failures reaching the tracker are thrown (TrackerUnavailable when a later
// attempt may succeed, std::runtime_error with the tracker's message
// otherwise, UserError for a configuration the user must fix); ticket sync
// catches them per ticket, so one failing ticket never stops the others.
class Tracker {
public:
  virtual ~Tracker() = default;

  // "file", "jira", "gitlab": for logs and error messages.
  virtual std::string name() const = 0;

  // The OPEN tickets in `team`'s project that carry `label`, oldest first;
  // empty when there are none. Resolved / closed tickets are never returned:
  // a regression after a recovery gets a new ticket.
  virtual std::vector<TicketRef> find_open(const std::string& team, const std::string& label) = 0;

  // find_open for many labels of one team: each of `labels` that has open
  // tickets -> them, oldest first; a label with none may be left out (a map
  // of every label of an all-green run of 10,000 experiments was ~1.3 MB at
  // the end of the run). This default asks find_open once per label; the
  // adapters answer with as few searches as their API allows.
  virtual std::map<std::string, std::vector<TicketRef>> find_open_each(const std::string& team,
                                                                       const std::vector<std::string>& labels) {
    std::map<std::string, std::vector<TicketRef>> found;
    for (const auto& label : labels)
      if (auto open = find_open(team, label); !open.empty()) found[label] = std::move(open);
    return found;
  }

  // Files `ticket` in its team's project with its labels, priority, body,
  // tasks and attachments. After it returns, find_open finds the ticket by
  // each of its labels.
  virtual TicketRef create(const Ticket& ticket) = 0;

  // Adds a Markdown comment to a ticket found by find_open.
  virtual void comment(const TicketRef& ticket, const std::string& markdown) = 0;

  // Adds the recovery comment and takes the ticket out of find_open's answers
  // (resolves it, or for a team that closes investigations itself, replaces
  // the search labels): recovery is announced once, and a later regression
  // opens a new ticket instead of commenting on a recovered one.
  virtual void resolve(const TicketRef& ticket, const std::string& markdown) = 0;
};

}  // namespace chaosgate
