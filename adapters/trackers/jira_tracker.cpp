#include "trackers/jira_tracker.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <utility>
#include <variant>

#include "trackers/jira_adf.h"
#include "trackers/jira_wiki.h"
#include "http/multipart.h"
#include "util/base64.h"
#include "util/errors.h"
#include "util/redact.h"
#include "util/text.h"

namespace chaosgate::trackers {

namespace {

using nlohmann::json;
using Flavor = JiraConfig::Flavor;

// Pages of a label search before we stop: a label names one regression, so
// thousands of open issues carrying it mean something else is wrong.
constexpr int k_max_search_pages = 50;
constexpr int k_page_size = 100;
// Labels per `labels in (...)` search: ~1.5 KB of URL, well inside what
// proxies in front of Jira accept.
constexpr std::size_t k_labels_per_search = 50;
// How much of a non-JSON error body (an HTML proxy page) goes into a message.
constexpr std::size_t k_max_error_text = 300;

// JQL string literal: double quotes, with " and \ escaped.
std::string jql_string(std::string_view value) {
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Jira labels cannot contain whitespace; the gate's never do, but a label is
// mapped the same way when filed and when searched, so they always match.
std::string jira_label(std::string label) {
  std::replace_if(label.begin(), label.end(), [](unsigned char c) { return std::isspace(c) != 0; }, '_');
  return label;
}

bool is_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// The labels compose_ticket() searches by: the fingerprint "cg-" + 16 hex
// (regression_fingerprint) and the experiment label "cg-exp-" + 16 hex
// (experiment_label). Nothing else is removed when relabelling.
bool is_search_label(std::string_view label) {
  if (label.starts_with("cg-exp-")) return label.size() == 7 + 16 && is_hex(label.substr(7));
  return label.starts_with("cg-") && label.size() == 3 + 16 && is_hex(label.substr(3));
}

// Jira's error body: {"errorMessages": [...], "errors": {"field": "message"}}.
std::string jira_error_text(const std::string& body) {
  const auto document = json::parse(body, nullptr, false);
  std::vector<std::string> parts;
  if (document.is_object()) {
    if (const auto messages = document.find("errorMessages"); messages != document.end() && messages->is_array()) {
      for (const auto& message : *messages)
        if (message.is_string()) parts.push_back(message.get<std::string>());
    }
    if (const auto errors = document.find("errors"); errors != document.end() && errors->is_object()) {
      for (const auto& [field, message] : errors->items())
        parts.push_back(field + ": " + (message.is_string() ? message.get<std::string>() : message.dump()));
    }
    if (parts.empty() && document.contains("message") && document.at("message").is_string())
      parts.push_back(document.at("message").get<std::string>());
  }
  if (!parts.empty()) return join(parts, "; ");
  std::string text;
  for (const char c : body.substr(0, k_max_error_text)) text += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  return text;
}

class JiraTracker final : public Tracker {
public:
  JiraTracker(JiraConfig config, std::shared_ptr<http::HttpClient> client, http::Sleeper sleep)
      : m_config(std::move(config)), m_client(std::move(client)), m_sleep(std::move(sleep)) {
    while (m_config.base_url.ends_with('/')) m_config.base_url.pop_back();
    m_config.retry.give_up = m_config.stop;  // the signal ends the retries too, not only a transfer
    const bool cloud = m_config.flavor == Flavor::cloud;
    m_api = cloud ? "/rest/api/3" : "/rest/api/2";
    m_authorization = cloud ? "Basic " + base64_encode(m_config.email + ":" + m_config.token) : "Bearer " + m_config.token;
    // Should a message ever echo the credentials (a proxy's error page), the
    // process-wide redact() masks them too.
    register_secret(m_config.token);
    register_secret(base64_encode(m_config.email + ":" + m_config.token));
  }

  std::string name() const override { return "jira"; }

  std::vector<TicketRef> find_open(const std::string& team, const std::string& label) override {
    std::vector<TicketRef> found;
    search(open_in(route(team).project, "labels = " + jql_string(jira_label(label))), "summary,status",
           [&](const std::string& key, const json&) { found.push_back(ref(key)); });
    return found;
  }

  // One search per k_labels_per_search labels: `labels in (...)`, each issue
  // credited to the asked labels it carries.
  std::map<std::string, std::vector<TicketRef>> find_open_each(const std::string& team,
                                                               const std::vector<std::string>& labels) override {
    std::map<std::string, std::vector<TicketRef>> found;
    std::map<std::string, std::vector<std::string>> asked_as;  // Jira's spelling -> the labels spelt so
    for (const auto& label : labels) {
      auto& spelt = asked_as[jira_label(label)];
      if (std::find(spelt.begin(), spelt.end(), label) == spelt.end()) spelt.push_back(label);
    }
    const std::string& project = route(team).project;
    for (auto first = asked_as.begin(); first != asked_as.end();) {
      std::map<std::string, std::vector<std::string>> batch;
      std::vector<std::string> quoted;
      for (; first != asked_as.end() && batch.size() < k_labels_per_search; ++first) {
        batch.insert(*first);
        quoted.push_back(jql_string(first->first));
      }
      search(open_in(project, "labels in (" + join(quoted, ", ") + ")"), "summary,status,labels",
             [&](const std::string& key, const json& fields) {
               const json labels_of_issue = fields.is_object() ? fields.value("labels", json::array()) : json::array();
               for (const auto& label : labels_of_issue) {
                 if (!label.is_string()) continue;
                 const auto asked = batch.find(label.get<std::string>());
                 if (asked == batch.end()) continue;
                 for (const auto& original : asked->second) found[original].push_back(ref(key));
               }
             });
    }
    return found;
  }

  TicketRef create(const Ticket& ticket) override {
    const JiraRoute& where = route(ticket.team);
    json fields = base_fields(where, ticket.summary, where.issue_type.empty() ? "Task" : where.issue_type);
    json labels = json::array();
    for (const auto& label : ticket.labels) labels.push_back(jira_label(label));
    fields["labels"] = labels;
    if (!ticket.priority.empty()) fields["priority"] = {{"name", ticket.priority}};
    if (!where.component.empty()) fields["components"] = json::array({{{"name", where.component}}});
    if (!where.assignee.empty()) {
      fields["assignee"] = m_config.flavor == Flavor::cloud ? json{{"accountId", where.assignee}}
                                                            : json{{"name", where.assignee}};
    }
    fields["description"] = rich_text(ticket.body);
    const json created = call_json("POST", m_api + "/issue", "", json{{"fields", fields}}.dump());
    if (!created.contains("key") || !created.at("key").is_string())
      throw std::runtime_error("jira: POST " + m_api + "/issue: the answer names no issue key");
    const TicketRef issue = ref(created.at("key").get<std::string>());

    // The issue exists from here on: every file and sub-task is tried, and a
    // failure is reported with the issue's key rather than as unavailable (a
    // retried create would find the issue and only comment on it).
    std::vector<std::string> problems;
    for (const auto& attachment : ticket.attachments) {
      try {
        attach(issue.key, attachment);
      } catch (const std::exception& e) {
        problems.push_back("attaching " + attachment.name + " failed: " + e.what());
      }
    }
    if (m_config.sub_tasks) {
      for (const auto& task : ticket.tasks) {
        try {
          create_sub_task(where, issue.key, task);
        } catch (const std::exception& e) {
          problems.push_back("creating the sub-task \"" + task.title + "\" failed: " + e.what());
        }
      }
    }
    if (!problems.empty())
      throw std::runtime_error(scrub("jira: created " + issue.key + " (" + issue.url + ") but " + join(problems, "; ")));
    return issue;
  }

  void comment(const TicketRef& ticket, const std::string& markdown) override {
    call("POST", issue_path(ticket.key) + "/comment", "", json{{"body", rich_text(markdown)}}.dump());
  }

  void resolve(const TicketRef& ticket, const std::string& markdown) override {
    comment(ticket, markdown);
    if (m_config.recovery_transition.empty()) {
      relabel(ticket.key);
    } else {
      transition(ticket.key, m_config.recovery_transition);
    }
  }

private:
  // "project = P AND <condition> AND statusCategory != Done ORDER BY created ASC": open issues, oldest first.
  static std::string open_in(const std::string& project, const std::string& condition) {
    return "project = " + jql_string(project) + " AND " + condition + " AND statusCategory != Done ORDER BY created ASC";
  }

  // Calls `each(key, fields)` for every issue `jql` finds, page by page
  // (Cloud: nextPageToken; Data Center: startAt), at most k_max_search_pages.
  void search(const std::string& jql, const std::string& fields,
              const std::function<void(const std::string& key, const json& fields)>& each) {
    const std::string query = "?jql=" + percent_encode(jql) + "&fields=" + fields + "&maxResults=" + std::to_string(k_page_size);
    std::string page_token;  // Cloud
    std::size_t start_at = 0;  // Data Center
    for (int page = 0; page < k_max_search_pages; ++page) {
      const bool cloud = m_config.flavor == Flavor::cloud;
      const std::string path = cloud ? m_api + "/search/jql" : m_api + "/search";
      const std::string paging = cloud ? (page_token.empty() ? "" : "&nextPageToken=" + percent_encode(page_token))
                                       : "&startAt=" + std::to_string(start_at);
      const json answer = call_json("GET", path, query + paging);
      const json issues = answer.value("issues", json::array());
      for (const auto& issue : issues) {
        if (issue.contains("key") && issue.at("key").is_string())
          each(issue.at("key").get<std::string>(), issue.value("fields", json::object()));
      }
      if (cloud) {
        page_token = answer.contains("nextPageToken") && answer.at("nextPageToken").is_string()
                         ? answer.at("nextPageToken").get<std::string>()
                         : "";
        if (page_token.empty() || answer.value("isLast", false)) break;
      } else {
        start_at += issues.size();
        const auto total = answer.value("total", std::size_t{0});
        if (issues.empty() || start_at >= total) break;
      }
    }
  }

  const JiraRoute& route(const std::string& team) const {
    const auto it = m_config.routes.find(team);
    if (it == m_config.routes.end() || it->second.project.empty()) {
      throw std::runtime_error("jira: team \"" + team +
                               "\" has no Jira project: give it `jira: {project: KEY}` in the suite catalog");
    }
    return it->second;
  }

  TicketRef ref(const std::string& key) const { return {key, m_config.base_url + "/browse/" + key}; }

  std::string issue_path(const std::string& key) const { return m_api + "/issue/" + percent_encode(key); }

  // A description or comment body: ADF on Cloud, wiki markup on Data Center.
  json rich_text(const std::string& markdown) const {
    if (m_config.flavor == Flavor::cloud) return markdown_to_adf(markdown);
    return markdown_to_wiki(markdown);
  }

  json base_fields(const JiraRoute& where, const std::string& summary, const std::string& issue_type) const {
    return {{"project", {{"key", where.project}}}, {"summary", summary}, {"issuetype", {{"name", issue_type}}}};
  }

  void attach(const std::string& key, const TicketAttachment& attachment) {
    std::string boundary = http::multipart_boundary();
    while (attachment.content.find(boundary) != std::string::npos) boundary = http::multipart_boundary();
    http::Request request = make_request("POST", issue_path(key) + "/attachments", "");
    // Jira refuses uploads without the XSRF opt-out header (403 "XSRF check failed").
    request.headers = {{"Authorization", m_authorization},
                       {"Accept", "application/json"},
                       {"X-Atlassian-Token", "no-check"},
                       {"Content-Type", http::multipart_content_type(boundary)}};
    request.body = http::multipart_body(boundary, "file", attachment.name, attachment.media_type, attachment.content);
    request.timeout = m_config.timeout * 2;
    send(request, issue_path(key) + "/attachments");
  }

  void create_sub_task(const JiraRoute& where, const std::string& parent, const TicketTask& task) {
    json fields = base_fields(where, task.title, "Sub-task");
    fields["parent"] = {{"key", parent}};
    // Only "chaosgate": the search labels would make find_open return sub-tasks.
    fields["labels"] = json::array({"chaosgate"});
    if (!where.component.empty()) fields["components"] = json::array({{{"name", where.component}}});
    if (!task.description.empty()) fields["description"] = rich_text(task.description);
    call("POST", m_api + "/issue", "", json{{"fields", fields}}.dump());
  }

  void transition(const std::string& key, const std::string& wanted) {
    const json answer = call_json("GET", issue_path(key) + "/transitions", "");
    std::vector<std::string> names;
    const auto lower = [](std::string text) {
      std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      return text;
    };
    for (const auto& offered : answer.value("transitions", json::array())) {
      const std::string name = offered.value("name", "");
      if (lower(name) == lower(wanted)) {
        // Jira documents the id as a string; accept a number too.
        const json& id = offered.at("id");
        const std::string id_text = id.is_string() ? id.get<std::string>() : id.dump();
        call("POST", issue_path(key) + "/transitions", "", json{{"transition", {{"id", id_text}}}}.dump());
        return;
      }
      names.push_back(in_quotes(name));
    }
    throw std::runtime_error("jira: " + key + " offers no transition " + in_quotes(wanted) + " (it offers " +
                             (names.empty() ? std::string("none") : join(names, ", ")) +
                             "): check the recovery transition's name in the project's workflow");
  }

  void relabel(const std::string& key) {
    const json issue = call_json("GET", issue_path(key), "?fields=labels");
    json changes = json::array();
    if (issue.contains("fields") && issue.at("fields").contains("labels") && issue.at("fields").at("labels").is_array()) {
      for (const auto& label : issue.at("fields").at("labels")) {
        if (label.is_string() && is_search_label(label.get<std::string>())) changes.push_back({{"remove", label}});
      }
    }
    changes.push_back({{"add", k_jira_recovered_label}});
    call("PUT", issue_path(key), "", json{{"update", {{"labels", changes}}}}.dump());
  }

  http::Request make_request(const std::string& method, const std::string& path, const std::string& query) const {
    http::Request request;
    request.method = method;
    request.url = m_config.base_url + path + query;
    request.headers = {{"Authorization", m_authorization}, {"Accept", "application/json"}};
    request.timeout = m_config.timeout;
    request.connect_timeout = std::min(m_config.timeout, std::chrono::milliseconds(5000));
    request.stop = m_config.stop;
    return request;
  }

  // Sends a JSON request; returns the answer's body. `path` is what messages
  // name (the query holds the JQL, which can be long).
  std::string call(const std::string& method, const std::string& path, const std::string& query,
                   const std::string& body = "") {
    http::Request request = make_request(method, path, query);
    if (!body.empty()) {
      request.headers.emplace_back("Content-Type", "application/json");
      request.body = body;
    }
    return send(request, path);
  }

  json call_json(const std::string& method, const std::string& path, const std::string& query,
                 const std::string& body = "") {
    const std::string text = call(method, path, query, body);
    auto document = json::parse(text, nullptr, false);
    if (document.is_discarded() || !document.is_object())
      throw std::runtime_error("jira: " + method + " " + path + ": the answer is not a JSON object");
    return document;
  }

  std::string send(const http::Request& request, const std::string& path) {
    const std::string what = "jira: " + request.method + " " + path + ": ";
    const http::Result result = http::send_with_retry(*m_client, request, m_config.retry, m_sleep);
    if (const auto* failure = std::get_if<http::Failure>(&result)) {
      if (http::may_succeed_later(result)) throw TrackerUnavailable(scrub(what + failure->message));
      throw std::runtime_error(scrub(what + failure->message));
    }
    const auto& response = std::get<http::Response>(result);
    if (response.status >= 200 && response.status < 300) return response.body;
    std::string message = what + "HTTP " + std::to_string(response.status);
    if (const auto reason = http::reason_phrase(response.status); !reason.empty()) message += " " + reason;
    if (const auto detail = jira_error_text(response.body); !detail.empty()) message += ": " + detail;
    if (http::is_retryable(result)) throw TrackerUnavailable(scrub(message + " (gave up retrying)"));
    throw std::runtime_error(scrub(message));
  }

  // Messages never carry the credentials, whatever a server echoed.
  std::string scrub(std::string text) const {
    for (const std::string& secret : {m_authorization.substr(m_authorization.find(' ') + 1), m_config.token}) {
      if (secret.empty()) continue;
      for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) text.replace(at, secret.size(), "***");
    }
    return redact(text);
  }

  JiraConfig m_config;
  std::shared_ptr<http::HttpClient> m_client;
  http::Sleeper m_sleep;
  std::string m_api;            // "/rest/api/3" or "/rest/api/2"
  std::string m_authorization;  // the header's value
};

}  // namespace

std::unique_ptr<Tracker> make_jira_tracker(JiraConfig config, std::shared_ptr<http::HttpClient> client,
                                           http::Sleeper sleep) {
  const bool cloud = config.flavor == JiraConfig::Flavor::cloud;
  const std::string flavor = cloud ? "Jira Cloud" : "Jira Data Center";
  if (!config.base_url.starts_with("https://") && !config.base_url.starts_with("http://"))
    throw UserError("jira: the Jira URL must start with https:// (got " + in_quotes(config.base_url) + ")");
  if (config.token.empty())
    throw UserError(cloud ? "jira: Jira Cloud needs an API token" : "jira: Jira Data Center needs a personal access token");
  if (cloud && config.email.empty()) throw UserError("jira: Jira Cloud needs the email of the API token's account");
  if (!client) throw std::invalid_argument(flavor + " tracker without an HTTP client");
  return std::make_unique<JiraTracker>(std::move(config), std::move(client), std::move(sleep));
}

}  // namespace chaosgate::trackers
