#pragma once
// Ticket changes that could not reach the tracker (it was down, or kept
// answering 429/503 after the adapter's retries) wait here, in the state
// directory, until the next run or `chaosgate tickets flush` delivers them.
// A regression is never lost because Jira had a bad minute.
//
// One JSON file per change, <state>/outbox/<queued ms>-<seq>-<hash>.json,
// written atomically (temp file, fsync, rename): a crash leaves a change
// queued or not, never half written. A change records its intent, not a
// request: delivery looks up the open ticket again first, so a crash between
// a create and its bookkeeping, or two queued recurrences of one regression,
// still give one ticket and comments on it.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/suite.h"
#include "tickets/ticket.h"

namespace chaosgate {

struct PendingTicketChange {
  enum class Kind { regression, recovery };
  Kind kind = Kind::regression;
  std::string experiment_id;
  std::string team;
  std::string label;    // regression: the fingerprint; recovery: the experiment label
  Ticket ticket;        // regression: created when no open ticket carries `label`
  std::string comment;  // regression: the recurrence comment; recovery: the recovery comment
  std::string run_id;   // the run that observed it
  std::string queued_at;  // UTC, as in the journal
  // The team's routing when it was queued, so `tickets flush` can deliver
  // without the suite (which may have moved on since).
  std::optional<JiraRoute> jira;
  std::optional<GitlabRoute> gitlab;
};

struct QueuedChange {
  std::string path;  // the outbox file
  PendingTicketChange change;
};

struct UnreadableChange {
  std::string path;
  std::string message;  // why it cannot be read; the file is kept for a person to look at
};

class TicketOutbox {
public:
  // `dir` is created on first add().
  explicit TicketOutbox(std::string dir);

  // Queues `change`. Throws std::runtime_error naming the file when it
  // cannot be written.
  void add(const PendingTicketChange& change);

  // The queued changes, oldest first; files that are not valid changes are
  // listed in `unreadable` (never deleted).
  std::vector<QueuedChange> pending(std::vector<UnreadableChange>* unreadable = nullptr) const;

  // Removes a delivered change.
  void remove(const QueuedChange& change);

  const std::string& dir() const { return m_dir; }

private:
  std::string m_dir;
  int m_sequence = 0;
};

}  // namespace chaosgate
