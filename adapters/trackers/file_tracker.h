#pragma once
// The embedded default tracker (`--tracker file`): the same tickets a Jira or
// GitLab project would get, as files, so the whole ticket flow works with no
// server. Tickets are rendered under the output directory; the index that
// de-duplicates them across runs lives in a state directory that outlives a
// run (a CI cache, or the output directory itself for local use):
//
//   <out>/tickets/CHAOS-1.md            summary, status, priority, labels, body,
//                                       attached files, "## Comments"
//   <out>/tickets/CHAOS-1.json          the same as data, comments included
//   <out>/tickets/CHAOS-1/risk-<experiment>.json, evidence-<experiment>.md
//   <state>/tickets.json                per ticket: key, fingerprint, labels,
//                                       status (open / resolved), comment
//                                       count, created / updated times
//
// The index is the tracker's database: each change is a read-modify-write
// under an exclusive lock (<state>/tickets.json.lock), written atomically
// (temp file, fsync, rename), so gates sharing a state directory never lose
// or duplicate a ticket. A comment on a ticket created under another output
// directory starts a new <out>/tickets/<KEY>.md/.json there that says where
// the ticket was created, and carries the comments from then on.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tickets/tracker.h"

namespace chaosgate::trackers {

// Keys are CHAOS-1, CHAOS-2, ...: one more than the highest in the index.
// Directories are created when first written. Throws UserError (exit 2)
// naming <state_dir>/tickets.json when it exists but cannot be read or is not
// a valid ticket index: it is never reset, since resetting it would forget
// the open tickets and duplicate them. The returned tracker's operations throw
// the same UserError if the index goes bad later, and std::runtime_error
// naming the file on an I/O error.
std::unique_ptr<Tracker> make_file_tracker(const std::string& out_dir, const std::string& state_dir);

// The open tickets of `suite_name`'s experiments in <state_dir>/tickets.json,
// read-only and without the lock (the index is replaced atomically, so a
// reader sees one whole version): experiment id -> keys, in index order.
// Only tickets carrying the suite's experiment label count, since another
// suite may share the state directory and an experiment id. Empty when there
// is no index; throws UserError naming the file when it is unreadable or
// corrupt, as make_file_tracker does.
std::map<std::string, std::vector<std::string>> open_tickets_by_experiment(const std::string& state_dir,
                                                                           const std::string& suite_name);

}  // namespace chaosgate::trackers
