#include "insight/ticket_index.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "tickets/ticket.h"

namespace chaosgate::insight {

std::map<std::string, std::vector<std::string>> open_tickets_by_experiment(const nlohmann::json& index,
                                                                           const std::string& suite_name) {
  if (!index.is_object() || index.value("schemaVersion", 0) != 1 || !index.contains("tickets") ||
      !index.at("tickets").is_array())
    throw std::runtime_error("not a ticket index (expected schemaVersion 1 and a \"tickets\" array)");
  std::map<std::string, std::vector<std::string>> result;
  for (const auto& ticket : index.at("tickets")) {
    if (ticket.value("status", "") != "open") continue;
    const auto experiment = ticket.value("experiment", "");
    // Another suite may share the state directory and an experiment id: only
    // this suite's experiment label is proof the ticket is ours.
    const auto labels = ticket.value("labels", std::vector<std::string>{});
    if (std::find(labels.begin(), labels.end(), experiment_label(suite_name, experiment)) == labels.end()) continue;
    result[experiment].push_back(ticket.at("key").get<std::string>());
  }
  return result;
}

}  // namespace chaosgate::insight
