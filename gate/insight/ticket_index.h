#pragma once
// Reading the file tracker's ticket index (<state-dir>/tickets.json, written
// by adapters/trackers/file_tracker.cpp) for the open tickets of a suite's
// experiments. Read-only: the tracker stays the index's only writer.
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace chaosgate::insight {

// Experiment id -> keys of its open tickets, for tickets of `suite_name`
// (they carry its experiment label). Throws std::runtime_error saying what is
// wrong when `index` is not a ticket index (schemaVersion 1 with "tickets").
std::map<std::string, std::vector<std::string>> open_tickets_by_experiment(const nlohmann::json& index,
                                                                           const std::string& suite_name);

}  // namespace chaosgate::insight
