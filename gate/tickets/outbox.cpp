#include "tickets/outbox.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "util/atomic_file.h"
#include "util/file_text.h"
#include "util/json_integer.h"
#include "util/sha256.h"

namespace chaosgate {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int k_outbox_version = 1;

json route_json(const JiraRoute& route) {
  return {{"project", route.project}, {"component", route.component}, {"issueType", route.issue_type},
          {"assignee", route.assignee}};
}

json route_json(const GitlabRoute& route) {
  return {{"project", route.project}, {"labels", route.labels}, {"assigneeIds", route.assignee_ids}};
}

json ticket_json(const Ticket& ticket) {
  json tasks = json::array();
  for (const auto& task : ticket.tasks) tasks.push_back({{"title", task.title}, {"description", task.description}});
  json attachments = json::array();
  for (const auto& file : ticket.attachments)
    attachments.push_back({{"name", file.name}, {"mediaType", file.media_type}, {"content", file.content}});
  return {{"experimentId", ticket.experiment_id},
          {"team", ticket.team},
          {"fingerprint", ticket.fingerprint},
          {"experimentLabel", ticket.experiment_label},
          {"summary", ticket.summary},
          {"labels", ticket.labels},
          {"priority", ticket.priority},
          {"body", ticket.body},
          {"tasks", tasks},
          {"attachments", attachments}};
}

Ticket ticket_from(const json& j) {
  Ticket ticket;
  ticket.experiment_id = j.at("experimentId").get<std::string>();
  ticket.team = j.at("team").get<std::string>();
  ticket.fingerprint = j.at("fingerprint").get<std::string>();
  ticket.experiment_label = j.at("experimentLabel").get<std::string>();
  ticket.summary = j.at("summary").get<std::string>();
  ticket.labels = j.at("labels").get<std::vector<std::string>>();
  ticket.priority = j.at("priority").get<std::string>();
  ticket.body = j.at("body").get<std::string>();
  for (const auto& task : j.at("tasks"))
    ticket.tasks.push_back({task.at("title").get<std::string>(), task.at("description").get<std::string>()});
  for (const auto& file : j.at("attachments"))
    ticket.attachments.push_back({file.at("name").get<std::string>(), file.at("mediaType").get<std::string>(),
                                  file.at("content").get<std::string>()});
  return ticket;
}

json change_json(const PendingTicketChange& change) {
  json j = {{"version", k_outbox_version},
            {"kind", change.kind == PendingTicketChange::Kind::regression ? "regression" : "recovery"},
            {"experimentId", change.experiment_id},
            {"team", change.team},
            {"label", change.label},
            {"comment", change.comment},
            {"runId", change.run_id},
            {"queuedAt", change.queued_at}};
  if (change.kind == PendingTicketChange::Kind::regression) j["ticket"] = ticket_json(change.ticket);
  if (change.jira) j["jira"] = route_json(*change.jira);
  if (change.gitlab) j["gitlab"] = route_json(*change.gitlab);
  return j;
}

PendingTicketChange change_from(const json& j) {
  if (json_integer<int>(j.at("version")) != k_outbox_version)
    throw std::runtime_error("outbox version " + j.at("version").dump() + " is not " + std::to_string(k_outbox_version));
  PendingTicketChange change;
  const auto kind = j.at("kind").get<std::string>();
  if (kind == "regression") {
    change.kind = PendingTicketChange::Kind::regression;
    change.ticket = ticket_from(j.at("ticket"));
  } else if (kind == "recovery") {
    change.kind = PendingTicketChange::Kind::recovery;
  } else {
    throw std::runtime_error("kind \"" + kind + "\" is neither regression nor recovery");
  }
  change.experiment_id = j.at("experimentId").get<std::string>();
  change.team = j.at("team").get<std::string>();
  change.label = j.at("label").get<std::string>();
  change.comment = j.at("comment").get<std::string>();
  change.run_id = j.at("runId").get<std::string>();
  change.queued_at = j.at("queuedAt").get<std::string>();
  if (j.contains("jira")) {
    const auto& r = j.at("jira");
    change.jira = JiraRoute{r.at("project").get<std::string>(), r.at("component").get<std::string>(),
                            r.at("issueType").get<std::string>(), r.at("assignee").get<std::string>()};
  }
  if (j.contains("gitlab")) {
    const auto& r = j.at("gitlab");
    change.gitlab = GitlabRoute{r.at("project").get<std::string>(), r.at("labels").get<std::vector<std::string>>(),
                                r.at("assigneeIds").get<std::vector<long>>()};
  }
  return change;
}

// Sorts by name: a zero-padded millisecond time, then a sequence number.
std::string file_name(const PendingTicketChange& change, int sequence) {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  std::string millis = std::to_string(now);
  millis.insert(0, millis.size() < 15 ? 15 - millis.size() : 0, '0');
  std::string seq = std::to_string(sequence);
  seq.insert(0, seq.size() < 4 ? 4 - seq.size() : 0, '0');
  const std::string hash = sha256_hex(change.run_id + '\n' + change.experiment_id + '\n' + change.label).substr(0, 12);
  return millis + "-" + seq + "-" + hash + ".json";
}

}  // namespace

TicketOutbox::TicketOutbox(std::string dir) : m_dir(std::move(dir)) {}

void TicketOutbox::add(const PendingTicketChange& change) {
  std::error_code error;
  fs::create_directories(m_dir, error);
  if (error) throw std::runtime_error("cannot create the ticket outbox " + m_dir + ": " + error.message());
  write_file_atomically((fs::path(m_dir) / file_name(change, m_sequence++)).string(), change_json(change).dump(2) + "\n");
}

std::vector<QueuedChange> TicketOutbox::pending(std::vector<UnreadableChange>* unreadable) const {
  std::vector<std::string> paths;
  std::error_code error;
  for (fs::directory_iterator it(m_dir, error), end; !error && it != end; it.increment(error)) {
    const auto name = it->path().filename().string();
    // Temp files of a write in progress (or of a crashed one) are not changes.
    if (it->path().extension() == ".json" && name.find(".tmp.") == std::string::npos) paths.push_back(it->path().string());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<QueuedChange> queued;
  for (const auto& path : paths) {
    try {
      const FileText file = read_file_text(path);
      if (!file) throw std::runtime_error("cannot be read: " + file.reason);
      queued.push_back({path, change_from(json::parse(file.text))});
    } catch (const std::exception& e) {
      if (unreadable) unreadable->push_back({path, e.what()});
    }
  }
  return queued;
}

void TicketOutbox::remove(const QueuedChange& change) {
  std::error_code error;
  fs::remove(change.path, error);
  if (error) throw std::runtime_error("cannot remove delivered change " + change.path + ": " + error.message());
}

}  // namespace chaosgate
