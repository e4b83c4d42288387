#include "trackers/gitlab_tracker.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <functional>
#include <map>
#include <string_view>
#include <unordered_set>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <utility>
#include <vector>

#include "http/retry.h"
#include "http/multipart.h"
#include "util/errors.h"
#include "util/json_integer.h"
#include "util/redact.h"
#include "util/text.h"

namespace chaosgate::trackers {

namespace {

using nlohmann::json;

constexpr const char* k_recovered_label = "chaos-recovered";
constexpr const char* k_gate_label = "chaosgate";  // on every ticket compose_ticket() makes
constexpr int k_max_pages = 50;  // 5000 open issues with one fingerprint label is a runaway, not a backlog

std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

// "cg-" or "cg-exp-" + 16 hex digits: the fingerprint and experiment labels of
// compose_ticket (regression_fingerprint, experiment_label). Only these are
// removed on recovery; the team's own labels stay.
bool is_search_label(const std::string& label) {
  std::string_view rest = label;
  if (rest.starts_with("cg-exp-")) {
    rest.remove_prefix(7);
  } else if (rest.starts_with("cg-")) {
    rest.remove_prefix(3);
  } else {
    return false;
  }
  return rest.size() == 16 && std::all_of(rest.begin(), rest.end(), [](char c) {
           return std::isdigit(static_cast<unsigned char>(c)) != 0 || (c >= 'a' && c <= 'f');
         });
}

std::string today_plus(int days) {
  const std::time_t when = std::time(nullptr) + static_cast<std::time_t>(days) * 86400;
  std::tm utc{};
  ::gmtime_r(&when, &utc);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &utc);
  return text;
}

// GitLab's error text: {"message": "403 Forbidden"}, {"message": {"title":
// ["can't be blank"]}} or {"error": "..."}; a short excerpt of anything else
// (a proxy's HTML page).
std::string gitlab_message(const std::string& body) {
  const auto document = json::parse(body, nullptr, false);
  if (document.is_object()) {
    for (const char* key : {"message", "error", "error_description"}) {
      if (!document.contains(key)) continue;
      const auto& value = document.at(key);
      if (value.is_string()) return value.get<std::string>();
      if (!value.is_object()) return dump(value);
      std::vector<std::string> parts;
      for (const auto& [field, problems] : value.items()) {
        std::vector<std::string> texts;
        for (const auto& problem : problems.is_array() ? problems : json::array({problems}))
          texts.push_back(problem.is_string() ? problem.get<std::string>() : dump(problem));
        parts.push_back(field + " " + join(texts, ", "));
      }
      return join(parts, "; ");
    }
  }
  std::string excerpt;
  for (const char c : body.substr(0, 200)) excerpt += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  return excerpt.empty() ? "(no body)" : excerpt;
}

struct IssueKey {
  std::string project;
  long iid = 0;
};

IssueKey parse_key(const std::string& key) {
  const auto hash = key.rfind('#');
  const std::string digits = hash == std::string::npos ? "" : key.substr(hash + 1);
  const bool ok = hash != std::string::npos && hash > 0 && !digits.empty() && digits.size() < 12 &&
                  std::all_of(digits.begin(), digits.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
  if (!ok) throw std::runtime_error("gitlab: " + in_quotes(key) + " is not a GitLab issue key (<project>#<iid>)");
  return {key.substr(0, hash), std::stol(digits)};
}

class GitlabTracker final : public Tracker {
public:
  GitlabTracker(GitlabTrackerConfig config, std::shared_ptr<http::HttpClient> client, http::Sleeper sleep)
      : m_config(std::move(config)), m_client(std::move(client)), m_sleep(std::move(sleep)) {
    while (!m_config.api_url.empty() && m_config.api_url.back() == '/') m_config.api_url.pop_back();
    m_config.retry.give_up = m_config.stop;  // the signal ends the retries too, not only a transfer
  }

  std::string name() const override { return "gitlab"; }

  std::vector<TicketRef> find_open(const std::string& team, const std::string& label) override {
    const std::string& project = route_of(team).project;
    std::vector<TicketRef> found;
    for_each_open(project, label, [&](const json& issue, const std::string& path) { found.push_back(ref_of(project, issue, "GET", path)); });
    return found;
  }

  // GitLab's label filter is "all of": there is no "any of" to batch with.
  // Instead the project's open issues labelled "chaosgate" (compose_ticket
  // puts it on every ticket) are listed, usually one page, and each issue is
  // credited to the asked labels it carries. A project with more than
  // k_max_pages pages of them is asked label by label.
  std::map<std::string, std::vector<TicketRef>> find_open_each(const std::string& team,
                                                               const std::vector<std::string>& labels) override {
    if (labels.size() < 2) return Tracker::find_open_each(team, labels);
    const std::unordered_set<std::string_view> asked(labels.begin(), labels.end());
    std::map<std::string, std::vector<TicketRef>> found;
    const std::string& project = route_of(team).project;
    const bool complete = for_each_open(project, k_gate_label, [&](const json& issue, const std::string& path) {
      if (!issue.is_object() || !issue.contains("labels") || !issue.at("labels").is_array()) return;
      for (const auto& label : issue.at("labels")) {
        if (!label.is_string() || !asked.contains(label.get_ref<const std::string&>())) continue;
        // Only an issue that is asked for needs its ref (and an `iid`).
        auto ticket = ref_of(project, issue, "GET", path);
        auto& open = found[label.get<std::string>()];
        if (open.empty() || open.back().key != ticket.key) open.push_back(std::move(ticket));
      }
    });
    return complete ? found : Tracker::find_open_each(team, labels);
  }

  TicketRef create(const Ticket& ticket) override {
    const auto& route = route_of(ticket.team);
    const std::string project = project_path(route.project);

    // Uploads first: the issue is created once, with the links in its text.
    std::vector<std::string> links;
    for (const auto& attachment : ticket.attachments) links.push_back(upload(project, attachment));
    std::string description = ticket.body;
    if (!links.empty()) {
      if (!description.empty() && description.back() != '\n') description += '\n';
      description += "\n## Attached files\n\n";
      for (const auto& link : links) description += "- " + link + "\n";
    }

    std::vector<std::string> labels;
    auto add_label = [&](const std::string& label) {
      if (!label.empty() && std::find(labels.begin(), labels.end(), label) == labels.end()) labels.push_back(label);
    };
    for (const auto& label : ticket.labels) add_label(label);
    for (const auto& label : route.labels) add_label(label);
    add_label(gitlab_priority_label(ticket.priority));

    json issue = {{"title", ticket.summary},
                  {"description", description},
                  {"labels", labels},
                  {"due_date", today_plus(gitlab_due_in_days(ticket.priority))}};
    if (!route.assignee_ids.empty()) issue["assignee_ids"] = route.assignee_ids;
    const std::string path = project + "/issues";
    const auto response = call("POST", path, "", dump(issue), "application/json");
    return ref_of(route.project, parse_body(response, "POST", path), "POST", path);
  }

  void comment(const TicketRef& ticket, const std::string& markdown) override {
    const auto key = parse_key(ticket.key);
    call("POST", issue_path(key) + "/notes", "", dump({{"body", markdown}}), "application/json");
  }

  void resolve(const TicketRef& ticket, const std::string& markdown) override {
    comment(ticket, markdown);
    const auto key = parse_key(ticket.key);
    const std::string path = issue_path(key);
    json edit;
    if (m_config.close_on_recovery) {
      edit = {{"state_event", "close"}};
    } else {
      // The key alone does not say which labels are the search labels: read them.
      const auto issue = parse_body(call("GET", path, ""), "GET", path);
      std::vector<std::string> remove;
      if (issue.is_object() && issue.contains("labels") && issue.at("labels").is_array()) {
        for (const auto& label : issue.at("labels"))
          if (label.is_string() && is_search_label(label.get<std::string>())) remove.push_back(label.get<std::string>());
      }
      edit = {{"add_labels", json::array({k_recovered_label})}};
      if (!remove.empty()) edit["remove_labels"] = remove;
    }
    call("PUT", path, "", dump(edit), "application/json");
  }

private:
  const GitlabRoute& route_of(const std::string& team) const {
    const auto it = m_config.routes.find(team);
    if (it == m_config.routes.end() || it->second.project.empty())
      throw UserError("gitlab: team " + in_quotes(team) +
                      " has no GitLab project: the suite catalog needs `gitlab: {project: ...}` for that team");
    return it->second;
  }

  // "shop/checkout" -> "/projects/shop%2Fcheckout": GitLab takes a path as one segment.
  static std::string project_path(const std::string& project) { return "/projects/" + percent_encode(project); }
  static std::string issue_path(const IssueKey& key) {
    return project_path(key.project) + "/issues/" + std::to_string(key.iid);
  }

  std::string upload(const std::string& project, const TicketAttachment& attachment) {
    std::string boundary = http::multipart_boundary();
    while (attachment.content.find(boundary) != std::string::npos) boundary = http::multipart_boundary();
    const std::string path = project + "/uploads";
    const auto response = call("POST", path, "",
                               http::multipart_body(boundary, "file", attachment.name, attachment.media_type, attachment.content),
                               http::multipart_content_type(boundary));
    const auto uploaded = parse_body(response, "POST", path);
    if (!uploaded.is_object() || !uploaded.contains("markdown") || !uploaded.at("markdown").is_string())
      throw std::runtime_error("gitlab: POST " + path + ": the answer has no `markdown` link");
    return uploaded.at("markdown").get<std::string>();
  }

  // Calls `each(issue, the listing's path)` for every open issue of `project`
  // carrying `label`, oldest first, a page of 100 at a time; false when there
  // were more than k_max_pages pages (the rest is not read).
  bool for_each_open(const std::string& project, const std::string& label,
                     const std::function<void(const json& issue, const std::string& path)>& each) {
    const std::string path = project_path(project) + "/issues";
    const std::string query = "labels=" + percent_encode(label) + "&state=opened&order_by=created_at&sort=asc&per_page=100";
    std::string page = "1";
    for (int pages = 0; pages < k_max_pages && !page.empty(); ++pages) {
      const auto response = call("GET", path, query + (page == "1" ? "" : "&page=" + percent_encode(page)));
      const auto issues = parse_body(response, "GET", path);
      if (!issues.is_array()) throw std::runtime_error("gitlab: GET " + path + ": expected a JSON array of issues");
      for (const auto& issue : issues) each(issue, path);
      page = response.header("x-next-page").value_or("");
    }
    return page.empty();
  }

  TicketRef ref_of(const std::string& project, const json& issue, const std::string& method, const std::string& path) const {
    if (!issue.is_object() || !issue.contains("iid") || !issue.at("iid").is_number_integer())
      throw std::runtime_error("gitlab: " + method + " " + path + ": the answer has no issue `iid`");
    const auto url = issue.value("web_url", json()).is_string() ? issue.at("web_url").get<std::string>() : "";
    return {project + "#" + std::to_string(json_integer<long>(issue.at("iid"))), url};
  }

  json parse_body(const http::Response& response, const std::string& method, const std::string& path) const {
    auto document = json::parse(response.body, nullptr, false);
    if (document.is_discarded())
      throw std::runtime_error("gitlab: " + method + " " + path + ": HTTP " + std::to_string(response.status) +
                               " but the answer is not JSON");
    return document;
  }

  // One request with retries; a 2xx response, or throws as the header says.
  http::Response call(const std::string& method, const std::string& path, const std::string& query,
                      const std::string& body = {}, const std::string& content_type = {}) {
    http::Request request;
    request.method = method;
    request.url = m_config.api_url + path + (query.empty() ? "" : "?" + query);
    request.headers = {{"PRIVATE-TOKEN", m_config.token}, {"Accept", "application/json"}};
    if (!content_type.empty()) request.headers.emplace_back("Content-Type", content_type);
    request.body = body;
    request.timeout = m_config.timeout;
    request.connect_timeout = std::min(request.connect_timeout, m_config.timeout);
    request.stop = m_config.stop;

    const auto result = http::send_with_retry(*m_client, request, m_config.retry, m_sleep);
    const std::string what = "gitlab: " + method + " " + path + ": ";
    if (const auto* failure = std::get_if<http::Failure>(&result)) {
      if (http::may_succeed_later(result))
        throw TrackerUnavailable(scrub(what + failure->message + (http::is_retryable(result) ? " (after retries)" : "")));
      throw std::runtime_error(scrub(what + failure->message));
    }
    const auto& response = std::get<http::Response>(result);
    if (response.status >= 200 && response.status < 300) return response;
    const std::string status = "HTTP " + std::to_string(response.status) + " " + http::reason_phrase(response.status);
    if (http::is_retryable(result)) throw TrackerUnavailable(scrub(what + status + " (after retries)"));
    throw std::runtime_error(scrub(what + status + ": " + gitlab_message(response.body)));
  }

  // A server may echo what it received; the token must not reach a log.
  std::string scrub(std::string text) const {
    const std::string& token = m_config.token;
    if (token.size() >= 4) {
      for (auto at = text.find(token); at != std::string::npos; at = text.find(token, at))
        text.replace(at, token.size(), "[REDACTED]");
    }
    return redact(text);
  }

  GitlabTrackerConfig m_config;
  std::shared_ptr<http::HttpClient> m_client;
  http::Sleeper m_sleep;
};

}  // namespace

int gitlab_due_in_days(const std::string& priority) {
  if (priority == "Highest") return 3;
  if (priority == "High") return 7;
  if (priority == "Low") return 30;
  return 14;
}

std::string gitlab_priority_label(const std::string& priority) {
  std::string level;
  for (const char c : priority.empty() ? std::string("Medium") : priority)
    level += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return "priority::" + level;
}

std::unique_ptr<Tracker> make_gitlab_tracker(GitlabTrackerConfig config, std::shared_ptr<http::HttpClient> client,
                                             http::Sleeper sleep) {
  // Refused here, once, rather than as a 401 or a malformed URL on every ticket.
  if (config.api_url.empty()) throw UserError("gitlab tracker: no API URL (e.g. https://gitlab.example.com/api/v4)");
  if (config.token.empty()) throw UserError("gitlab tracker: no access token (a CI job token cannot create issues)");
  return std::make_unique<GitlabTracker>(std::move(config), std::move(client), std::move(sleep));
}

}  // namespace chaosgate::trackers
