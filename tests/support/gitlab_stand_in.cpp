#include "support/gitlab_stand_in.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

namespace chaosgate::test {
namespace {

using nlohmann::json;

void answer(httplib::Response& response, int status, const json& body) {
  response.status = status;
  response.set_content(body.dump(), "application/json");
}

void error(httplib::Response& response, int status, const std::string& text) { answer(response, status, {{"error", text}}); }

std::string percent_decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) && std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// The raw path's segments, so that "shop%2Fcheckout" stays one segment (as
// GitLab reads it) and an unencoded "shop/checkout" does not route.
std::vector<std::string> segments(const std::string& target) {
  std::vector<std::string> out;
  std::stringstream path(target.substr(0, target.find('?')));
  for (std::string part; std::getline(path, part, '/');)
    if (!part.empty()) out.push_back(part);
  return out;
}

// GitLab takes a label list as a JSON array or a comma-separated string.
std::optional<std::vector<std::string>> label_list(const json& value) {
  std::vector<std::string> labels;
  if (value.is_string()) {
    std::stringstream text(value.get<std::string>());
    for (std::string label; std::getline(text, label, ',');)
      if (!label.empty()) labels.push_back(label);
    return labels;
  }
  if (!value.is_array()) return std::nullopt;
  for (const auto& label : value) {
    if (!label.is_string()) return std::nullopt;
    labels.push_back(label.get<std::string>());
  }
  return labels;
}

json issue_json(const GitlabStandIn::Issue& issue) {
  json assignees = json::array();
  for (const long id : issue.assignee_ids) assignees.push_back({{"id", id}});
  return {{"id", issue.id},
          {"iid", issue.iid},
          {"title", issue.title},
          {"description", issue.description},
          {"state", issue.state},
          {"labels", issue.labels},
          {"assignees", assignees},
          {"due_date", issue.due_date.empty() ? json() : json(issue.due_date)},
          {"user_notes_count", issue.notes.size()},
          {"web_url", issue.web_url}};
}

bool has_all(const std::vector<std::string>& labels, const std::vector<std::string>& wanted) {
  return std::all_of(wanted.begin(), wanted.end(),
                     [&](const std::string& w) { return std::find(labels.begin(), labels.end(), w) != labels.end(); });
}

}  // namespace

GitlabStandIn::GitlabStandIn(std::string token, std::set<std::string> projects)
    : m_token(std::move(token)), m_projects(std::move(projects)) {
  auto handler = [this](const httplib::Request& request, httplib::Response& response) { handle(request, response); };
  for (const char* method : {"GET", "POST", "PUT"}) m_server.on(method, "/api/v4/.*", handler);
  m_server.start();
}

GitlabStandIn::~GitlabStandIn() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_wake.notify_all();
}

std::string GitlabStandIn::api_url() const { return m_server.url("/api/v4"); }

void GitlabStandIn::fail_next(Fault fault, int times, int retry_after_seconds) {
  std::lock_guard lock(m_mutex);
  for (int i = 0; i < times; ++i) m_faults.emplace_back(fault, retry_after_seconds);
}

void GitlabStandIn::forbid(const std::string& project, const std::string& message) {
  std::lock_guard lock(m_mutex);
  m_forbidden[project] = message;
}

void GitlabStandIn::set_page_size(int size) {
  std::lock_guard lock(m_mutex);
  m_page_size = size;
}

long GitlabStandIn::add_issue(const std::string& project, const std::string& title, const std::vector<std::string>& labels) {
  std::lock_guard lock(m_mutex);
  Issue issue;
  issue.project = project;
  issue.id = ++m_next_id;
  issue.iid = 1 + std::count_if(m_issues.begin(), m_issues.end(), [&](const Issue& i) { return i.project == project; });
  issue.title = title;
  issue.labels = labels;
  issue.web_url = "https://gitlab.example.com/" + project + "/-/issues/" + std::to_string(issue.iid);
  m_issues.push_back(issue);
  return issue.iid;
}

std::vector<GitlabStandIn::Issue> GitlabStandIn::issues() const {
  std::lock_guard lock(m_mutex);
  return m_issues;
}

std::vector<GitlabStandIn::Upload> GitlabStandIn::uploads() const {
  std::lock_guard lock(m_mutex);
  return m_uploads;
}

void GitlabStandIn::handle(const httplib::Request& request, httplib::Response& response) {
  std::unique_lock lock(m_mutex);
  if (!m_faults.empty()) {
    const auto [fault, retry_after] = m_faults.front();
    m_faults.pop_front();
    switch (fault) {
      case Fault::too_many_requests:
        response.set_header("Retry-After", std::to_string(retry_after));
        answer(response, 429, {{"message", "429 Too Many Requests"}});
        return;
      case Fault::unavailable:
        answer(response, 503, {{"message", "503 Service Unavailable"}});
        return;
      case Fault::close_connection:
        // Promises 64 bytes, sends a few: the client sees the connection end mid-answer.
        response.set_content_provider(64, "application/json", [](std::size_t, std::size_t, httplib::DataSink& sink) {
          sink.write("{\"id\":", 6);
          return false;
        });
        return;
      case Fault::hang:
        // Long past any test client's timeout; the destructor ends it early.
        m_wake.wait_for(lock, std::chrono::seconds(10), [this] { return m_stopping; });
        error(response, 504, "hung");
        return;
    }
  }
  route(request, response);
}

// Called with m_mutex held.
void GitlabStandIn::route(const httplib::Request& request, httplib::Response& response) {
  if (request.get_header_value("PRIVATE-TOKEN") != m_token) {
    answer(response, 401, {{"message", "401 Unauthorized"}});
    return;
  }
  const auto parts = segments(request.target);  // api, v4, projects, :id, ...
  if (parts.size() < 5 || parts[2] != "projects") {
    error(response, 404, "404 Not Found");
    return;
  }
  const std::string project = percent_decode(parts[3]);
  if (m_projects.count(project) == 0) {
    answer(response, 404, {{"message", "404 Project Not Found"}});
    return;
  }
  if (const auto it = m_forbidden.find(project); it != m_forbidden.end()) {
    answer(response, 403, {{"message", it->second}});
    return;
  }
  const std::vector<std::string> rest(parts.begin() + 4, parts.end());
  const auto body = json::parse(request.body, nullptr, false);
  const bool json_body = request.get_header_value("Content-Type").starts_with("application/json");

  // ---- uploads
  if (rest == std::vector<std::string>{"uploads"} && request.method == "POST") {
    if (!request.is_multipart_form_data() || !request.has_file("file")) {
      error(response, 400, "file is missing");
      return;
    }
    const auto file = request.get_file_value("file");
    char secret[33];
    std::snprintf(secret, sizeof secret, "%032lx", static_cast<unsigned long>(++m_next_id));
    const std::string url = std::string("/uploads/") + secret + "/" + file.filename;
    const std::string markdown = "[" + file.filename + "](" + url + ")";
    m_uploads.push_back({project, file.name, file.filename, file.content_type, file.content, markdown});
    answer(response, 201, {{"id", m_next_id}, {"alt", file.filename}, {"url", url},
                           {"full_path", "/-/project/1/uploads/" + std::string(secret) + "/" + file.filename},
                           {"markdown", markdown}});
    return;
  }
  if (rest.empty() || rest[0] != "issues") {
    error(response, 404, "404 Not Found");
    return;
  }

  // ---- the issue list and creating an issue
  if (rest.size() == 1 && request.method == "GET") {
    const std::string state = request.has_param("state") ? request.get_param_value("state") : "all";
    if (state != "opened" && state != "closed" && state != "all") {
      error(response, 400, "state does not have a valid value");
      return;
    }
    const auto wanted = label_list(json(request.get_param_value("labels"))).value_or(std::vector<std::string>{});
    std::vector<const Issue*> found;
    for (const auto& issue : m_issues) {
      if (issue.project == project && (state == "all" || issue.state == state) && has_all(issue.labels, wanted))
        found.push_back(&issue);
    }
    if (request.get_param_value("sort") != "asc") std::reverse(found.begin(), found.end());  // default desc
    const int per_page = std::clamp(request.has_param("per_page") ? std::stoi(request.get_param_value("per_page")) : 20, 1,
                                    m_page_size);
    const int page = request.has_param("page") ? std::max(1, std::stoi(request.get_param_value("page"))) : 1;
    json list = json::array();
    const std::size_t first = static_cast<std::size_t>((page - 1) * per_page);
    for (std::size_t i = first; i < found.size() && i < first + static_cast<std::size_t>(per_page); ++i)
      list.push_back(issue_json(*found[i]));
    response.set_header("X-Page", std::to_string(page));
    response.set_header("X-Next-Page", first + static_cast<std::size_t>(per_page) < found.size() ? std::to_string(page + 1) : "");
    answer(response, 200, list);
    return;
  }
  if (rest.size() == 1 && request.method == "POST") {
    if (!json_body || !body.is_object()) {
      error(response, 400, "title is missing");
      return;
    }
    if (!body.contains("title")) {
      error(response, 400, "title is missing");
      return;
    }
    if (!body.at("title").is_string() || body.at("title").get<std::string>().empty()) {
      answer(response, 400, {{"message", {{"title", json::array({"can't be blank"})}}}});
      return;
    }
    Issue issue;
    if (body.contains("labels")) {
      const auto labels = label_list(body.at("labels"));
      if (!labels) return error(response, 400, "labels is invalid");
      issue.labels = *labels;
    }
    if (body.contains("assignee_ids")) {
      const auto& ids = body.at("assignee_ids");
      if (!ids.is_array() || !std::all_of(ids.begin(), ids.end(), [](const json& id) { return id.is_number_integer(); }))
        return error(response, 400, "assignee_ids is invalid");
      issue.assignee_ids = ids.get<std::vector<long>>();
    }
    if (body.contains("due_date")) {
      static const std::regex k_date(R"(\d{4}-\d{2}-\d{2})");
      if (!body.at("due_date").is_string() || !std::regex_match(body.at("due_date").get<std::string>(), k_date))
        return error(response, 400, "due_date is invalid");
      issue.due_date = body.at("due_date").get<std::string>();
    }
    issue.project = project;
    issue.id = ++m_next_id;
    issue.iid = 1 + std::count_if(m_issues.begin(), m_issues.end(), [&](const Issue& i) { return i.project == project; });
    issue.title = body.at("title").get<std::string>();
    issue.description = body.value("description", "");
    issue.web_url = "https://gitlab.example.com/" + project + "/-/issues/" + std::to_string(issue.iid);
    m_issues.push_back(issue);
    answer(response, 201, issue_json(issue));
    return;
  }

  // ---- one issue
  const auto iid_text = rest.size() >= 2 ? rest[1] : "";
  const auto issue = std::find_if(m_issues.begin(), m_issues.end(), [&](const Issue& i) {
    return i.project == project && std::to_string(i.iid) == iid_text;
  });
  if (issue == m_issues.end() || rest.size() > 3 || (rest.size() == 3 && rest[2] != "notes")) {
    answer(response, 404, {{"message", "404 Not found"}});
    return;
  }
  if (rest.size() == 2 && request.method == "GET") {
    answer(response, 200, issue_json(*issue));
    return;
  }
  if (rest.size() == 2 && request.method == "PUT") {
    if (!json_body || !body.is_object() || body.empty())
      return error(response, 400, "at least one parameter must be provided");
    if (body.contains("state_event")) {
      const auto event = body.at("state_event").is_string() ? body.at("state_event").get<std::string>() : "";
      if (event != "close" && event != "reopen") return error(response, 400, "state_event does not have a valid value");
      issue->state = event == "close" ? "closed" : "opened";
    }
    for (const char* key : {"labels", "add_labels", "remove_labels"}) {
      if (body.contains(key) && !label_list(body.at(key))) return error(response, 400, std::string(key) + " is invalid");
    }
    if (body.contains("labels")) issue->labels = *label_list(body.at("labels"));
    if (body.contains("remove_labels")) {
      const auto remove = *label_list(body.at("remove_labels"));  // a named copy: the optional must outlive the loop
      for (const auto& label : remove)
        issue->labels.erase(std::remove(issue->labels.begin(), issue->labels.end(), label), issue->labels.end());
    }
    if (body.contains("add_labels")) {
      const auto add = *label_list(body.at("add_labels"));
      for (const auto& label : add)
        if (std::find(issue->labels.begin(), issue->labels.end(), label) == issue->labels.end()) issue->labels.push_back(label);
    }
    answer(response, 200, issue_json(*issue));
    return;
  }
  if (rest.size() == 3 && request.method == "POST") {
    if (!json_body || !body.is_object() || !body.contains("body")) return error(response, 400, "body is missing");
    if (!body.at("body").is_string() || body.at("body").get<std::string>().empty()) {
      answer(response, 400, {{"message", {{"note", json::array({"can't be blank"})}}}});
      return;
    }
    issue->notes.push_back(body.at("body").get<std::string>());
    answer(response, 201, {{"id", ++m_next_id}, {"body", issue->notes.back()}, {"noteable_type", "Issue"},
                           {"noteable_iid", issue->iid}});
    return;
  }
  error(response, 405, "405 Method Not Allowed");
}

}  // namespace chaosgate::test
