#include "support/jira_stand_in.h"

#include <algorithm>
#include <chrono>
#include <cctype>
#include <regex>
#include <set>

namespace chaosgate::test {

namespace {

using nlohmann::json;

std::string base64(std::string_view bytes) {
  static constexpr char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const auto byte = [&](std::size_t k) { return k < bytes.size() ? static_cast<unsigned char>(bytes[k]) : 0u; };
    const unsigned triple = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out += k_alphabet[(triple >> 18) & 63];
    out += k_alphabet[(triple >> 12) & 63];
    out += i + 1 < bytes.size() ? k_alphabet[(triple >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? k_alphabet[triple & 63] : '=';
  }
  return out;
}

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json;charset=UTF-8");
}

// Jira's error shape.
void send_error(httplib::Response& res, int status, const std::vector<std::string>& messages, const json& errors = json::object()) {
  send_json(res, status, {{"errorMessages", messages}, {"errors", errors}});
}

std::string api(const httplib::Request& req) { return "/rest/api/" + req.matches[1].str(); }

// ---- ADF: what Jira Cloud checks before it accepts a rich-text field -----------

const std::set<std::string>& adf_node_types() {
  static const std::set<std::string> types = {"paragraph", "heading",   "bulletList", "orderedList", "listItem",
                                              "table",     "tableRow",  "tableHeader", "tableCell",  "rule",
                                              "codeBlock", "text",      "hardBreak"};
  return types;
}

// Why `node` is not valid ADF (under a document), or "".
std::string adf_node_problem(const json& node) {
  if (!node.is_object() || !node.contains("type") || !node.at("type").is_string()) return "a node without a type";
  const auto type = node.at("type").get<std::string>();
  if (!adf_node_types().contains(type)) return "unknown node type " + type;
  if (type == "text") {
    if (!node.contains("text") || !node.at("text").is_string() || node.at("text").get<std::string>().empty())
      return "a text node with empty text";
    std::set<std::string> marks;
    for (const auto& mark : node.value("marks", json::array())) {
      const auto mark_type = mark.value("type", "");
      if (mark_type != "strong" && mark_type != "code" && mark_type != "link" && mark_type != "em")
        return "unknown mark " + mark_type;
      if (mark_type == "link" && (!mark.contains("attrs") || mark.at("attrs").value("href", "").empty()))
        return "a link without href";
      marks.insert(mark_type);
    }
    if (marks.contains("code") && (marks.contains("strong") || marks.contains("em"))) return "code combined with strong";
    return "";
  }
  if (type == "heading") {
    const int level = node.contains("attrs") ? node.at("attrs").value("level", 0) : 0;
    if (level < 1 || level > 6) return "a heading without level 1-6";
  }
  if (node.contains("content")) {
    if (!node.at("content").is_array()) return type + " content is not an array";
    for (const auto& child : node.at("content"))
      if (auto problem = adf_node_problem(child); !problem.empty()) return problem;
  }
  return "";
}

std::string adf_problem(const json& value) {
  if (!value.is_object() || value.value("type", "") != "doc" || value.value("version", 0) != 1 ||
      !value.contains("content") || !value.at("content").is_array())
    return "Operation value must be an Atlassian Document (see the Atlassian Document Format)";
  for (const auto& node : value.at("content"))
    if (auto problem = adf_node_problem(node); !problem.empty()) return "Invalid Atlassian Document: " + problem;
  return "";
}

// A rich-text field in the flavour's format: ADF on Cloud, a string on Data Center.
std::string rich_text_problem(bool cloud, const json& value) {
  if (cloud) return adf_problem(value);
  return value.is_string() ? "" : "Operation value must be a string";
}

std::string unquote_jql(const std::string& quoted) {
  std::string out;
  for (std::size_t i = 0; i < quoted.size(); ++i) {
    if (quoted[i] == '\\' && i + 1 < quoted.size()) ++i;
    out += quoted[i];
  }
  return out;
}

}  // namespace

std::vector<std::string> JiraIssue::labels() const { return fields.value("labels", std::vector<std::string>{}); }

const std::vector<JiraStandIn::Transition>& JiraStandIn::transitions() {
  static const std::vector<Transition> list = {{"11", "To Do", "To Do", "new"},
                                               {"21", "In Progress", "In Progress", "indeterminate"},
                                               {"31", "Done", "Done", "done"}};
  return list;
}

JiraStandIn::JiraStandIn() : JiraStandIn(Options{}) {}

JiraStandIn::JiraStandIn(Options options) : m_options(std::move(options)) {
  const std::string api = R"(/rest/api/(2|3))";
  const std::string issue = api + R"(/issue/([^/]+))";
  route("POST", api + "/issue", &JiraStandIn::create_issue);
  route("GET", issue, &JiraStandIn::get_issue);
  route("PUT", issue, &JiraStandIn::edit_issue);
  route("POST", issue + "/comment", &JiraStandIn::add_comment);
  route("POST", issue + "/attachments", &JiraStandIn::add_attachment);
  route("GET", issue + "/transitions", &JiraStandIn::list_transitions);
  route("POST", issue + "/transitions", &JiraStandIn::do_transition);
  route("GET", R"(/rest/api/(3)/search/jql)", &JiraStandIn::search);
  route("GET", R"(/rest/api/(2)/search)", &JiraStandIn::search);
  route("GET", R"(/rest/api/(3)/search)", &JiraStandIn::old_cloud_search);
  m_server.start();
}

JiraStandIn::~JiraStandIn() {
  std::lock_guard lock(m_mutex);
  m_released = true;
  m_released_cv.notify_all();
}

void JiraStandIn::route(const std::string& method, const std::string& pattern,
                        void (JiraStandIn::*handler)(Flavor, const Req&, Res&)) {
  m_server.on(method, pattern, [this, handler](const Req& req, Res& res) {
    if (inject_fault(res)) return;
    const Flavor flavor = req.matches[1].str() == "3" ? Flavor::cloud : Flavor::data_center;
    if (!authorized(flavor, req)) {
      send_error(res, 401, {"You are not authenticated. Authentication required to perform this operation."});
      return;
    }
    (this->*handler)(flavor, req, res);
  });
}

void JiraStandIn::fail_next(Fault fault, int count, const std::string& retry_after) {
  std::lock_guard lock(m_mutex);
  for (int i = 0; i < count; ++i) m_faults.emplace_back(fault, retry_after);
}

bool JiraStandIn::inject_fault(Res& res) {
  std::unique_lock lock(m_mutex);
  if (m_faults.empty()) return false;
  const auto [fault, retry_after] = m_faults.front();
  m_faults.pop_front();
  switch (fault) {
    case Fault::too_many_requests:
      if (!retry_after.empty()) res.set_header("Retry-After", retry_after);
      send_error(res, 429, {"Rate limit exceeded."});
      break;
    case Fault::unavailable:
      send_error(res, 503, {"Jira is temporarily unavailable."});
      break;
    case Fault::close:
      // Headers promise 64 bytes; the provider fails before any: httplib closes the connection.
      res.set_content_provider(64, "application/json", [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
      break;
    case Fault::hang:
      m_released_cv.wait_for(lock, std::chrono::seconds(10), [this] { return m_released; });
      send_error(res, 503, {"hung"});
      break;
  }
  return true;
}

bool JiraStandIn::authorized(Flavor flavor, const Req& req) const {
  const std::string expected = flavor == Flavor::cloud ? "Basic " + base64(m_options.email + ":" + m_options.token)
                                                       : "Bearer " + m_options.token;
  return req.get_header_value("Authorization") == expected;
}

JiraIssue* JiraStandIn::find(const std::string& key) {
  const auto it = std::find_if(m_issues.begin(), m_issues.end(), [&](const JiraIssue& i) { return i.key == key; });
  return it == m_issues.end() ? nullptr : &*it;
}

std::vector<JiraIssue> JiraStandIn::issues() const {
  std::lock_guard lock(m_mutex);
  return m_issues;
}

std::optional<JiraIssue> JiraStandIn::issue(const std::string& key) const {
  std::lock_guard lock(m_mutex);
  for (const auto& i : m_issues)
    if (i.key == key) return i;
  return std::nullopt;
}

void JiraStandIn::create_issue(Flavor flavor, const Req& req, Res& res) {
  const bool cloud = flavor == Flavor::cloud;
  const auto body = json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    send_error(res, 400, {"Unexpected character: the request body is not JSON"});
    return;
  }
  const json fields = body.value("fields", json::object());
  std::lock_guard lock(m_mutex);
  json errors = json::object();
  const std::string project = fields.contains("project") ? fields.at("project").value("key", "") : "";
  if (project.empty()) {
    errors["project"] = "Specify a valid project ID or key";
  } else if (std::find(m_options.projects.begin(), m_options.projects.end(), project) == m_options.projects.end()) {
    errors["project"] = "valid project is required";
  }
  if (fields.value("summary", "").empty()) errors["summary"] = "You must specify a summary of the issue.";
  const std::string type = fields.contains("issuetype") ? fields.at("issuetype").value("name", "") : "";
  if (type.empty()) {
    errors["issuetype"] = "Specify an issue type";
  } else if (std::find(m_options.issue_types.begin(), m_options.issue_types.end(), type) == m_options.issue_types.end()) {
    errors["issuetype"] = "Specify a valid issue type";
  } else if (type == "Sub-task") {
    const std::string parent = fields.contains("parent") ? fields.at("parent").value("key", "") : "";
    if (parent.empty() || find(parent) == nullptr)
      errors["parent"] = "Issue type is a sub-task but parent issue key or id not specified.";
  }
  if (fields.contains("priority")) {
    const std::string priority = fields.at("priority").value("name", "");
    if (std::find(m_options.priorities.begin(), m_options.priorities.end(), priority) == m_options.priorities.end())
      errors["priority"] = "Priority name '" + priority + "' is not valid";
  }
  for (const auto& label : fields.value("labels", std::vector<std::string>{})) {
    if (std::any_of(label.begin(), label.end(), [](unsigned char c) { return std::isspace(c) != 0; }))
      errors["labels"] = "The label '" + label + "' contains spaces which is invalid.";
  }
  if (fields.contains("assignee")) {
    const char* id = cloud ? "accountId" : "name";
    if (!fields.at("assignee").contains(id)) errors["assignee"] = std::string("Specify the assignee's ") + id;
  }
  if (fields.contains("description")) {
    if (const auto problem = rich_text_problem(cloud, fields.at("description")); !problem.empty())
      errors["description"] = problem;
  }
  if (!errors.empty()) {
    send_error(res, 400, {}, errors);
    return;
  }
  JiraIssue issue;
  issue.project = project;
  issue.key = project + "-" + std::to_string(++m_next_number[project]);
  issue.fields = fields;
  m_issues.push_back(issue);
  const std::string id = std::to_string(10000 + m_issues.size());
  send_json(res, 201, {{"id", id}, {"key", issue.key}, {"self", url() + api(req) + "/issue/" + id}});
}

void JiraStandIn::get_issue(Flavor, const Req& req, Res& res) {
  std::lock_guard lock(m_mutex);
  const JiraIssue* issue = find(req.matches[2]);
  if (issue == nullptr) {
    send_error(res, 404, {"Issue does not exist or you do not have permission to see it."});
    return;
  }
  json fields = issue->fields;
  fields["status"] = {{"name", issue->status}, {"statusCategory", {{"key", issue->status_category}}}};
  if (req.has_param("fields") && req.get_param_value("fields") == "labels") fields = {{"labels", issue->labels()}};
  send_json(res, 200, {{"key", issue->key}, {"fields", fields}});
}

void JiraStandIn::edit_issue(Flavor, const Req& req, Res& res) {
  const auto body = json::parse(req.body, nullptr, false);
  std::lock_guard lock(m_mutex);
  JiraIssue* issue = find(req.matches[2]);
  if (issue == nullptr) {
    send_error(res, 404, {"Issue does not exist or you do not have permission to see it."});
    return;
  }
  if (body.is_discarded() || !body.is_object()) {
    send_error(res, 400, {"Unexpected character: the request body is not JSON"});
    return;
  }
  auto labels = issue->labels();
  if (body.contains("fields") && body.at("fields").contains("labels")) labels = body.at("fields").at("labels").get<std::vector<std::string>>();
  if (body.contains("update") && body.at("update").contains("labels")) {
    for (const auto& operation : body.at("update").at("labels")) {
      if (operation.contains("add")) {
        const auto label = operation.at("add").get<std::string>();
        if (std::find(labels.begin(), labels.end(), label) == labels.end()) labels.push_back(label);
      } else if (operation.contains("remove")) {
        std::erase(labels, operation.at("remove").get<std::string>());
      } else if (operation.contains("set")) {
        labels = operation.at("set").get<std::vector<std::string>>();
      } else {
        send_error(res, 400, {}, {{"labels", "Unsupported operation"}});
        return;
      }
    }
  }
  issue->fields["labels"] = labels;
  res.status = 204;
}

void JiraStandIn::add_comment(Flavor flavor, const Req& req, Res& res) {
  const auto body = json::parse(req.body, nullptr, false);
  std::lock_guard lock(m_mutex);
  JiraIssue* issue = find(req.matches[2]);
  if (issue == nullptr) {
    send_error(res, 404, {"Issue does not exist or you do not have permission to see it."});
    return;
  }
  if (body.is_discarded() || !body.is_object() || !body.contains("body")) {
    send_error(res, 400, {}, {{"comment", "Comment body can not be empty!"}});
    return;
  }
  if (const auto problem = rich_text_problem(flavor == Flavor::cloud, body.at("body")); !problem.empty()) {
    send_error(res, 400, {}, {{"comment", problem}});
    return;
  }
  issue->comments.push_back(body.at("body"));
  send_json(res, 201, {{"id", std::to_string(issue->comments.size())}, {"body", body.at("body")}});
}

void JiraStandIn::add_attachment(Flavor, const Req& req, Res& res) {
  if (req.get_header_value("X-Atlassian-Token") != "no-check") {
    res.status = 403;
    res.set_content("XSRF check failed", "text/plain");
    return;
  }
  std::lock_guard lock(m_mutex);
  JiraIssue* issue = find(req.matches[2]);
  if (issue == nullptr) {
    send_error(res, 404, {"Issue does not exist or you do not have permission to see it."});
    return;
  }
  if (!req.is_multipart_form_data() || !req.has_file("file")) {
    send_error(res, 400, {"Attachments must be sent as multipart/form-data in the field 'file'."});
    return;
  }
  json answer = json::array();
  for (const auto& [name, part] : req.files) {
    issue->attachments.push_back({name, part.filename, part.content_type, part.content});
    answer.push_back({{"id", std::to_string(issue->attachments.size())},
                      {"filename", part.filename},
                      {"mimeType", part.content_type},
                      {"size", part.content.size()}});
  }
  send_json(res, 200, answer);
}

void JiraStandIn::list_transitions(Flavor, const Req& req, Res& res) {
  std::lock_guard lock(m_mutex);
  if (find(req.matches[2]) == nullptr) {
    send_error(res, 404, {"Issue does not exist or you do not have permission to see it."});
    return;
  }
  json list = json::array();
  for (const auto& t : transitions())
    list.push_back({{"id", t.id}, {"name", t.name}, {"to", {{"name", t.status}, {"statusCategory", {{"key", t.category}}}}}});
  send_json(res, 200, {{"expand", "transitions"}, {"transitions", list}});
}

void JiraStandIn::do_transition(Flavor, const Req& req, Res& res) {
  const auto body = json::parse(req.body, nullptr, false);
  std::lock_guard lock(m_mutex);
  JiraIssue* issue = find(req.matches[2]);
  if (issue == nullptr) {
    send_error(res, 404, {"Issue does not exist or you do not have permission to see it."});
    return;
  }
  const std::string id = !body.is_discarded() && body.is_object() && body.contains("transition") &&
                                 body.at("transition").contains("id") && body.at("transition").at("id").is_string()
                             ? body.at("transition").at("id").get<std::string>()
                             : "";
  for (const auto& t : transitions()) {
    if (t.id == id) {
      issue->status = t.status;
      issue->status_category = t.category;
      res.status = 204;
      return;
    }
  }
  send_error(res, 400, {"Transition id '" + id + "' is not valid for this issue."});
}

void JiraStandIn::search(Flavor flavor, const Req& req, Res& res) {
  // The two queries the gate sends (one label, or a run's passing experiments'
  // labels at once); anything else is an error, so a test sees any change.
  static const std::string quoted = R"re("(?:[^"\\]|\\.)*")re";
  static const std::regex query("^project = (" + quoted + ") AND labels (= (" + quoted + ")|in \\((" + quoted + "(?:, " + quoted +
                                ")*)\\)) AND statusCategory != Done ORDER BY created ASC$");
  static const std::regex one_quoted(quoted);
  const std::string jql = req.get_param_value("jql");
  std::smatch match;
  if (!std::regex_match(jql, match, query)) {
    send_error(res, 400, {"Error in the JQL Query: the stand-in does not understand: " + jql});
    return;
  }
  const std::string project = unquote_jql(match[1].str().substr(1, match[1].length() - 2));
  std::vector<std::string> wanted;
  if (match[3].matched) {
    wanted.push_back(unquote_jql(match[3].str().substr(1, match[3].length() - 2)));
  } else {
    const std::string list = match[4];
    for (auto it = std::sregex_iterator(list.begin(), list.end(), one_quoted); it != std::sregex_iterator(); ++it)
      wanted.push_back(unquote_jql(it->str().substr(1, it->length() - 2)));
  }
  // Jira returns only the fields asked for.
  const std::string fields = req.get_param_value("fields");
  const bool with_labels = ("," + fields + ",").find(",labels,") != std::string::npos;
  std::lock_guard lock(m_mutex);
  std::vector<json> hits;
  for (const auto& issue : m_issues) {
    const auto labels = issue.labels();
    if (issue.project != project || issue.status_category == "done") continue;
    if (std::none_of(wanted.begin(), wanted.end(),
                     [&](const std::string& w) { return std::find(labels.begin(), labels.end(), w) != labels.end(); }))
      continue;
    json hit_fields = {{"summary", issue.fields.value("summary", "")}, {"status", {{"name", issue.status}}}};
    if (with_labels) hit_fields["labels"] = labels;
    hits.push_back({{"id", issue.key}, {"key", issue.key}, {"fields", hit_fields}});
  }
  const bool cloud = flavor == Flavor::cloud;
  std::size_t start = 0;
  if (cloud && req.has_param("nextPageToken")) start = std::stoul(req.get_param_value("nextPageToken").substr(5));
  if (!cloud && req.has_param("startAt")) start = std::stoul(req.get_param_value("startAt"));
  std::size_t size = static_cast<std::size_t>(m_options.page_size);
  if (req.has_param("maxResults")) size = std::min(size, static_cast<std::size_t>(std::stoul(req.get_param_value("maxResults"))));
  json page = json::array();
  for (std::size_t i = start; i < hits.size() && i < start + size; ++i) page.push_back(hits[i]);
  const bool last = start + size >= hits.size();
  if (cloud) {
    json answer = {{"issues", page}, {"isLast", last}};
    if (!last) answer["nextPageToken"] = "page-" + std::to_string(start + size);
    send_json(res, 200, answer);
  } else {
    send_json(res, 200, {{"startAt", start}, {"maxResults", size}, {"total", hits.size()}, {"issues", page}});
  }
}

void JiraStandIn::old_cloud_search(Flavor, const Req&, Res& res) {
  send_error(res, 410, {"The requested API has been removed. Please migrate to the /rest/api/3/search/jql API."});
}

}  // namespace chaosgate::test
