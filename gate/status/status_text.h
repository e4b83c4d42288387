#pragma once
// What the commit status says: the gate's decision as a CommitState and one
// line of text, and the text helpers the status adapters share.
#include <cstddef>
#include <string>
#include <string_view>

#include "model/run_result.h"
#include "status/status_publisher.h"

namespace chaosgate {

// "chaosgate/<environment>", plus " (shard I/N)" for a shard run: shards of one
// pipeline must not overwrite each other's status, while `merge` (no shard)
// publishes the combined one. "chaosgate" when `environment` is empty.
std::string status_name(const std::string& environment, const std::string& shard = "");

// passed -> success; failed and inconclusive -> failed (both stop the release);
// interrupted -> canceled; anything else -> failed, so that an unknown
// decision never shows green.
CommitState commit_state(const std::string& gate);

// Posted when the gate starts: running, "Running N experiment(s) of <suite>".
StatusUpdate running_status(const std::string& environment, const std::string& shard,
                            const std::string& suite_name, std::size_t experiments,
                            const std::string& target_url);

// The final status of `run` (run.gate and run.gate_reason set by decide_gate):
// "Gate failed: 1 regression(s): cart-survives-redis-pause". Redacted and
// made one line; not shortened to an API limit (the adapter does that).
StatusUpdate final_status(const RunResult& run, const std::string& target_url);

// `text` as one line of valid UTF-8 (invalid bytes become U+FFFD, control
// characters and line breaks a space, runs of spaces one, trimmed) of at most
// `max_chars` code points; when it had to be shortened it ends with "…".
// GitLab and GitHub count a description's limit in characters, so never bytes here.
std::string one_line(std::string_view text, std::size_t max_chars);

// The longest prefix of valid UTF-8 `text` with at most `max_chars` code points.
std::string_view utf8_prefix_chars(std::string_view text, std::size_t max_chars);

}  // namespace chaosgate
