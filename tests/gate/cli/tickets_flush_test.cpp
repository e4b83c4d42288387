// `chaosgate tickets flush`, the real binary against the GitLab stand-in: the
// outbox an unavailable tracker left behind is delivered once, in order,
// without the suite, and the token appears in no output.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "support/gitlab_stand_in.h"
#include "support/temp_dir.h"
#include "support/ticket_runs.h"
#include "tickets/outbox.h"
#include "tickets/ticket_sync.h"

namespace chaosgate {
namespace {

constexpr const char* k_token = "glpat-flush-test-7f3a9c";

struct Flush {
  int exit_code = -1;
  std::string output;
};

Flush flush(const test::TempDir& dir, const std::string& api_url, const std::string& extra = "") {
  const std::string log = dir.str() + "/flush.log";
  const std::string command = std::string("GITLAB_TOKEN=") + k_token + " " + CHAOSGATE_BINARY +
                              " tickets flush --tracker gitlab --gitlab-url " + api_url + " --state-dir " + dir.str() +
                              "/state " + extra + " > " + log + " 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream in(log);
  std::ostringstream text;
  text << in.rdbuf();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text.str()};
}

// Queues the regression of `run` as a run with the tracker down would.
void queue(TicketOutbox& outbox, const RunResult& run) {
  auto change = ticket_change(run, run.experiments.front());
  ASSERT_TRUE(change.has_value());
  change->gitlab = GitlabRoute{"shop/checkout", {"team::checkout"}, {}};
  outbox.add(*change);
}

TEST(TicketsFlush, DeliversTheOutboxOnceWithoutTheSuite) {
  test::TempDir dir;
  test::GitlabStandIn gitlab(k_token, {"shop/checkout"});
  TicketOutbox outbox(dir.str() + "/state/outbox");
  queue(outbox, test::TicketRunBuilder("v1.4.0").failed("cart-survives-redis-pause").build());
  queue(outbox, test::TicketRunBuilder("v1.4.1").failed("cart-survives-redis-pause").build());

  const auto first = flush(dir, gitlab.api_url());
  EXPECT_EQ(first.exit_code, 0) << first.output;
  const auto issues = gitlab.issues();
  ASSERT_EQ(issues.size(), 1u) << "two queued recurrences of one regression: one issue";
  EXPECT_EQ(issues[0].notes.size(), 1u) << "and one comment";
  EXPECT_NE(first.output.find("Outbox empty"), std::string::npos) << first.output;
  EXPECT_TRUE(outbox.pending().empty());
  EXPECT_EQ(first.output.find(k_token), std::string::npos) << "the token leaked into the output";

  const auto again = flush(dir, gitlab.api_url());
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(gitlab.issues().size(), 1u);
}

TEST(TicketsFlush, DryRunPrintsTheRequestsSendsNoneAndKeepsTheOutbox) {
  test::TempDir dir;
  test::GitlabStandIn gitlab(k_token, {"shop/checkout"});
  TicketOutbox outbox(dir.str() + "/state/outbox");
  queue(outbox, test::TicketRunBuilder().failed("cart-survives-redis-pause").build());

  const auto result = flush(dir, gitlab.api_url(), "--dry-run");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(gitlab.issues().empty()) << "a dry run created an issue";
  for (const std::string& expected : std::vector<std::string>{"would send POST " + gitlab.api_url() + "/projects/shop%2Fcheckout/uploads",
                                     "would send POST " + gitlab.api_url() + "/projects/shop%2Fcheckout/issues",
                                     "[chaos regression]", "Dry run: nothing was sent; 1 ticket change(s) stay queued"})
    EXPECT_NE(result.output.find(expected), std::string::npos) << expected << "\n" << result.output;
  EXPECT_EQ(result.output.find(k_token), std::string::npos) << "the token leaked into the dry run's output";
  EXPECT_EQ(outbox.pending().size(), 1u);
  // The search that decides between create and comment did reach the tracker.
  bool searched = false;
  for (const auto& request : gitlab.requests()) searched |= request.method == "GET";
  EXPECT_TRUE(searched);
}

TEST(TicketsFlush, ARejectedChangeStaysQueuedAndIsExit2) {
  test::TempDir dir;
  test::GitlabStandIn gitlab(k_token, {"shop/checkout"});
  gitlab.forbid("shop/checkout", "403 Forbidden - you cannot create issues here");
  TicketOutbox outbox(dir.str() + "/state/outbox");
  queue(outbox, test::TicketRunBuilder().failed("cart-survives-redis-pause").build());

  const auto result = flush(dir, gitlab.api_url());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("you cannot create issues here"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("1 ticket change(s) still queued"), std::string::npos) << result.output;
  EXPECT_EQ(outbox.pending().size(), 1u);
}

}  // namespace
}  // namespace chaosgate
