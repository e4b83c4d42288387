#pragma once
// A stateful stand-in for Jira on 127.0.0.1, both flavours at once: paths
// under /rest/api/3 act as Jira Cloud (basic auth email:API token, rich text
// in Atlassian Document Format, GET /rest/api/3/search/jql with
// nextPageToken pages; the removed GET /rest/api/3/search answers 410) and
// paths under /rest/api/2 as Jira Data Center (Bearer personal access token,
// wiki-markup strings, GET /rest/api/2/search with startAt pages).
//
// It answers as Jira documents, errors included: 401 with
// {"errorMessages": [...], "errors": {}} for wrong credentials; 400 with
// {"errorMessages": [], "errors": {"field": "message"}} for a create without
// project / summary / issue type, an unknown project, priority or issue type,
// a label with a space, a rich-text field in the other flavour's format, a
// sub-task without parent; 403 "XSRF check failed" for an upload without
// X-Atlassian-Token: no-check; 400 for JQL other than the one query the gate
// sends. Issues live in memory; keys are PROJECT-1, PROJECT-2, ...
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "support/test_http_server.h"

namespace chaosgate::test {

struct JiraAttachment {
  std::string field;  // the multipart field name
  std::string filename;
  std::string content_type;
  std::string content;
};

struct JiraIssue {
  std::string key;
  std::string project;
  nlohmann::json fields;                 // as created (labels kept up to date by edits)
  std::string status = "To Do";
  std::string status_category = "new";  // "new", "indeterminate", "done"
  std::vector<nlohmann::json> comments;  // each comment's "body" as sent
  std::vector<JiraAttachment> attachments;
  std::vector<std::string> labels() const;
};

class JiraStandIn {
public:
  struct Options {
    std::string email = "chaos-bot@example.com";
    std::string token = "jira-s3cret-T0KEN-value";
    std::vector<std::string> projects = {"CART", "SHOP"};
    std::vector<std::string> priorities = {"Highest", "High", "Medium", "Low", "Lowest"};
    std::vector<std::string> issue_types = {"Task", "Bug", "Sub-task"};
    int page_size = 50;  // issues per search page
  };

  // What the next requests get instead of an answer.
  enum class Fault {
    too_many_requests,  // 429 with Retry-After (seconds) when given
    unavailable,        // 503 with Jira's error body
    close,              // headers, then the connection is closed mid-body
    hang,               // no answer until the client gives up (or the stand-in is destroyed)
  };

  JiraStandIn();
  explicit JiraStandIn(Options options);
  ~JiraStandIn();  // releases hanging requests, then stops the server
  JiraStandIn(const JiraStandIn&) = delete;
  JiraStandIn& operator=(const JiraStandIn&) = delete;

  // "http://127.0.0.1:PORT" (the base URL, without /rest).
  std::string url() const { return m_server.url(); }
  const Options& options() const { return m_options; }

  // The next `count` requests (any endpoint) get `fault`.
  void fail_next(Fault fault, int count = 1, const std::string& retry_after = "");

  // Issues created so far, in creation order, and one by key.
  std::vector<JiraIssue> issues() const;
  std::optional<JiraIssue> issue(const std::string& key) const;

  // Every request that reached the stand-in, faulted ones included.
  std::vector<RecordedRequest> requests() const { return m_server.requests(); }

  // The workflow's transitions: (id, name, status category they lead to).
  struct Transition {
    std::string id;
    std::string name;
    std::string status;
    std::string category;
  };
  static const std::vector<Transition>& transitions();

private:
  using Req = httplib::Request;
  using Res = httplib::Response;
  enum class Flavor { cloud, data_center };

  void route(const std::string& method, const std::string& pattern,
             void (JiraStandIn::*handler)(Flavor, const Req&, Res&));
  bool authorized(Flavor flavor, const Req& req) const;
  bool inject_fault(Res& res);  // true when a fault answered

  void create_issue(Flavor flavor, const Req& req, Res& res);
  void get_issue(Flavor flavor, const Req& req, Res& res);
  void edit_issue(Flavor flavor, const Req& req, Res& res);
  void add_comment(Flavor flavor, const Req& req, Res& res);
  void add_attachment(Flavor flavor, const Req& req, Res& res);
  void list_transitions(Flavor flavor, const Req& req, Res& res);
  void do_transition(Flavor flavor, const Req& req, Res& res);
  void search(Flavor flavor, const Req& req, Res& res);
  void old_cloud_search(Flavor flavor, const Req& req, Res& res);

  JiraIssue* find(const std::string& key);  // under m_mutex

  Options m_options;
  mutable std::mutex m_mutex;
  std::condition_variable m_released_cv;
  bool m_released = false;
  std::deque<std::pair<Fault, std::string>> m_faults;
  std::vector<JiraIssue> m_issues;
  std::map<std::string, int> m_next_number;
  TestHttpServer m_server;  // last: stopped first, while the state above still lives
};

}  // namespace chaosgate::test
