// `chaosgate run --tracker jira`, the real binary against the Jira stand-in:
// an all-green run asks for its experiments' open tickets 50 labels per
// search, not one search per experiment, and still resolves the one that
// recovered.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "http/http_client.h"
#include "support/jira_stand_in.h"
#include "support/tcp_echo_server.h"
#include "support/temp_dir.h"
#include "support/ticket_runs.h"
#include "trackers/jira_tracker.h"

namespace chaosgate {
namespace {

using nlohmann::json;

// `count` experiments of team-cart (Jira project CART), each a TCP probe of
// `port` (a TcpEchoServer, whose backlog takes eight probes at once; the Jira
// stand-in's httplib listens with a backlog of 5, and on a busy machine a
// dropped SYN waited a 1 s retransmit past the probe's 2 s timeout): they all pass.
json green_suite(int count, int port) {
  json experiments = json::array();
  for (int i = 0; i < count; ++i) {
    const std::string id = "cart-exp-" + std::to_string(i);
    experiments.push_back({{"id", id}, {"title", id}, {"service", "cart"}, {"hypothesis", "the port answers"},
                           {"incidentCategory", "cat"}, {"attackGroup", "application"},
                           {"risk", {{"likelihood", 2}, {"impact", 3}}}, {"status", "promoted"},
                           {"followUp", {"look"}}, {"targets", {"t" + std::to_string(i)}},
                           {"steadyState", {{{"name", "port"}, {"tcp", {{"host", "127.0.0.1"}, {"port", port}}}}}},
                           {"method", {{{"name", "noop"}, {"pause", "0s"}}}}});
  }
  return {{"apiVersion", "chaosgate/v1"},
          {"name", test::k_ticket_suite},  // the suite compose_ticket's tickets below were filed for
          {"catalog",
           {{"teams", {{{"id", "team-cart"}, {"jira", {{"project", "CART"}, {"issueType", "Bug"}}}}}},
            {"services", {{{"id", "cart"}, {"owner", "team-cart"}}}},
            {"incidentCategories", {{{"id", "cat"}, {"title", "Benchmark"}}}}}},
          {"experiments", experiments}};
}

TEST(RunTickets, AnAllGreenRunAsksFiftyLabelsPerSearchAndResolvesTheRecoveredTicket) {
  test::TempDir dir;
  test::JiraStandIn jira;
  const test::TcpEchoServer probed;
  const int port = probed.port();

  // An open ticket from an earlier release's regression of cart-exp-7.
  trackers::JiraConfig config;
  config.base_url = jira.url();
  config.email = jira.options().email;
  config.token = jira.options().token;
  config.routes["team-cart"] = JiraRoute{"CART", "", "Bug", ""};
  const auto earlier = test::TicketRunBuilder("v1.3.0").failed("cart-exp-7").build();
  const auto open = trackers::make_jira_tracker(config, http::make_curl_client())->create(compose_ticket(earlier, earlier.experiments.at(0)));
  const auto requests_before = jira.requests().size();

  std::ofstream(dir.str() + "/suite.json") << green_suite(120, port).dump();
  const std::string command = "JIRA_EMAIL=" + jira.options().email + " JIRA_API_TOKEN=" + jira.options().token + " " +
                              CHAOSGATE_BINARY + " -q run --suite " + dir.str() + "/suite.json --out " + dir.str() +
                              "/out --state-dir " + dir.str() + "/state --parallel 8 --status none --tracker jira --jira-url " +
                              jira.url() + " > " + dir.str() + "/run.log 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream log(dir.str() + "/run.log");
  std::ostringstream output;
  output << log.rdbuf();
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << output.str();

  std::size_t searches = 0;
  const auto requests = jira.requests();
  for (std::size_t i = requests_before; i < requests.size(); ++i) searches += requests[i].path == "/rest/api/3/search/jql";
  EXPECT_EQ(searches, 3u) << "120 passing experiments: 50 + 50 + 20 labels";
  const auto issue = jira.issue(open.key);
  ASSERT_TRUE(issue.has_value());
  EXPECT_EQ(issue->comments.size(), 1u) << "the recovery comment";
  const auto labels = issue->labels();
  EXPECT_EQ(std::count(labels.begin(), labels.end(), experiment_label(test::k_ticket_suite, "cart-exp-7")), 0)
      << "relabelled: no longer found as open";
  EXPECT_EQ(output.str().find(jira.options().token), std::string::npos) << "the token leaked into the output";
}

}  // namespace
}  // namespace chaosgate
