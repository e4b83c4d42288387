#pragma once
// A stateful stand-in for GitLab's REST API v4 on 127.0.0.1 (a real HTTP
// server), answering as GitLab documents it, errors included:
//
//   GET  /api/v4/projects/:id/issues           labels (all must match), state, sort, per_page / page
//                                              (X-Next-Page), order of creation
//   POST /api/v4/projects/:id/issues           title, description, labels, assignee_ids, due_date
//   GET  /api/v4/projects/:id/issues/:iid
//   PUT  /api/v4/projects/:id/issues/:iid      state_event, add_labels, remove_labels
//   POST /api/v4/projects/:id/issues/:iid/notes  body
//   POST /api/v4/projects/:id/uploads          multipart/form-data field `file`
//
// `:id` is the project's path URL-encoded as one segment ("shop%2Fcheckout"),
// as GitLab requires; an unknown project is 404 {"message":"404 Project Not
// Found"}. Without the right PRIVATE-TOKEN: 401 {"message":"401 Unauthorized"}.
// Bad input: 400 {"message":{"title":["can't be blank"]}} or {"error":"..."}.
// Label lists are accepted as JSON arrays or comma-separated strings.
//
// Faults are queued and each one answers the next request, whatever it is.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "support/test_http_server.h"

namespace chaosgate::test {

class GitlabStandIn {
public:
  struct Issue {
    std::string project;  // decoded path, "shop/checkout"
    long id = 0;          // global
    long iid = 0;         // per project
    std::string title;
    std::string description;
    std::string state = "opened";  // or "closed"
    std::vector<std::string> labels;
    std::vector<long> assignee_ids;
    std::string due_date;
    std::vector<std::string> notes;
    std::string web_url;
  };
  struct Upload {
    std::string project;
    std::string field;  // the multipart field name
    std::string filename;
    std::string content_type;
    std::string content;
    std::string markdown;  // what the answer gave as `markdown`
  };
  enum class Fault {
    too_many_requests,  // 429 with Retry-After: retry_after_seconds
    unavailable,        // 503 {"message":"503 Service Unavailable"}
    close_connection,   // headers, then the connection closes mid-body
    hang,               // no answer until the client gives up (or the stand-in stops)
  };

  // Serves `projects` (paths such as "shop/checkout" or numeric ids) to
  // requests carrying `token`. Starts at once.
  GitlabStandIn(std::string token, std::set<std::string> projects);
  ~GitlabStandIn();  // wakes hung requests, then stops the server
  GitlabStandIn(const GitlabStandIn&) = delete;
  GitlabStandIn& operator=(const GitlabStandIn&) = delete;

  // "http://127.0.0.1:PORT/api/v4"
  std::string api_url() const;

  // The next `times` requests get `fault`, after any already queued.
  void fail_next(Fault fault, int times = 1, int retry_after_seconds = 1);
  // Requests to `project` get 403 {"message": message} from now on.
  void forbid(const std::string& project, const std::string& message = "403 Forbidden");
  // Issue lists answer at most `size` issues per page (GitLab caps per_page at 100).
  void set_page_size(int size);
  // Adds an issue as if someone had filed it by hand; returns its iid.
  long add_issue(const std::string& project, const std::string& title, const std::vector<std::string>& labels);

  std::vector<Issue> issues() const;
  std::vector<Upload> uploads() const;
  std::vector<RecordedRequest> requests() const { return m_server.requests(); }

private:
  void handle(const httplib::Request& request, httplib::Response& response);
  void route(const httplib::Request& request, httplib::Response& response);
  bool apply_fault(httplib::Response& response);

  std::string m_token;
  std::set<std::string> m_projects;

  mutable std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_stopping = false;
  std::deque<std::pair<Fault, int>> m_faults;  // fault, Retry-After seconds
  std::map<std::string, std::string> m_forbidden;
  int m_page_size = 100;
  std::vector<Issue> m_issues;
  std::vector<Upload> m_uploads;
  long m_next_id = 1000;
  // Last: destroyed first, so its handler threads are joined while the state
  // they use still exists.
  TestHttpServer m_server;
};

}  // namespace chaosgate::test
