#include "tickets/ticket_sync.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "support/files.h"
#include "support/temp_dir.h"
#include "support/ticket_runs.h"
#include "trackers/file_tracker.h"
#include "util/errors.h"

namespace chaosgate {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_id = "cart-survives-redis-pause";

std::string read(const fs::path& path) { return test::read_file(path.string()); }

// Records every call; answers find_open from `open` (label -> tickets) and
// throws for the experiments in `failing`.
class FakeTracker : public Tracker {
public:
  std::string name() const override { return "fake"; }
  std::vector<TicketRef> find_open(const std::string& team, const std::string& label) override {
    calls.push_back("find_open " + team + " " + label);
    const auto it = open.find(label);
    return it == open.end() ? std::vector<TicketRef>{} : it->second;
  }
  TicketRef create(const Ticket& ticket) override {
    calls.push_back("create " + ticket.experiment_id);
    if (failing.count(ticket.experiment_id) != 0) throw std::runtime_error("HTTP 500 from https://tracker.example.com/rest?token=abcdef123456");
    created.push_back(ticket);
    return {"FAKE-" + std::to_string(created.size()), "https://tracker.example.com/FAKE-" + std::to_string(created.size())};
  }
  void comment(const TicketRef& ticket, const std::string& markdown) override {
    calls.push_back("comment " + ticket.key);
    comments.push_back(markdown);
  }
  void resolve(const TicketRef& ticket, const std::string& markdown) override {
    calls.push_back("resolve " + ticket.key);
    comments.push_back(markdown);
  }

  std::map<std::string, std::vector<TicketRef>> open;
  std::set<std::string> failing;
  std::vector<std::string> calls;
  std::vector<Ticket> created;
  std::vector<std::string> comments;
};

// A tracker that answers find_open_each itself (as the adapters do), records
// each such call, and can fail it.
class BatchingFakeTracker : public FakeTracker {
public:
  std::map<std::string, std::vector<TicketRef>> find_open_each(const std::string& team,
                                                               const std::vector<std::string>& labels) override {
    std::string call = "find_open_each " + team;
    for (const auto& label : labels) call += " " + label;
    calls.push_back(call);
    if (batch_unavailable) throw TrackerUnavailable("HTTP 503 after 5 attempts");
    if (batch_fails || batch_failing_teams.count(team) != 0) throw std::runtime_error("HTTP 400: the JQL is too long");
    std::map<std::string, std::vector<TicketRef>> found;
    // As the adapters answer: a label with no open ticket is left out.
    for (const auto& label : labels)
      if (open.count(label)) found[label] = open.at(label);
    return found;
  }
  TicketRef create(const Ticket& ticket) override {
    if (create_unavailable) {
      calls.push_back("create " + ticket.experiment_id);
      throw TrackerUnavailable("HTTP 503 after 5 attempts");
    }
    return FakeTracker::create(ticket);
  }
  bool batch_fails = false;
  std::set<std::string> batch_failing_teams;  // only their lookups fail
  bool batch_unavailable = false;
  bool create_unavailable = false;
};

// Sync options whose changes queue in an outbox of their own.
struct WithOutbox {
  WithOutbox() { options.outbox = &outbox; }
  test::TempDir dir;
  TicketOutbox outbox{(dir.path() / "outbox").string()};
  TicketSyncOptions options;
};

ExperimentResult owned_pass(const std::string& id, const std::string& team) {
  auto result = test::ticket_pass(id);
  result.experiment.owner = team;
  return result;
}

class TicketSyncFileTest : public ::testing::Test {
protected:
  // A new tracker per run, as each gate run constructs its own.
  TicketSyncResult sync(const RunResult& run) {
    auto tracker = trackers::make_file_tracker(out().string(), state().string());
    return sync_tickets(run, *tracker);
  }
  fs::path out() const { return m_dir.path() / "out"; }
  fs::path state() const { return m_dir.path() / "state"; }
  nlohmann::json index() const { return nlohmann::json::parse(read(state() / "tickets.json")).at("tickets"); }

  test::TempDir m_dir;
};

TEST_F(TicketSyncFileTest, FirstRegressionCreatesOneTicketWithBothAttachments) {
  const auto result = sync(test::TicketRunBuilder().failed(k_id).passed("other").build());
  EXPECT_TRUE(result.errors.empty());
  ASSERT_EQ(result.entries.size(), 1u);
  EXPECT_EQ(result.entries[0].experiment_id, k_id);
  EXPECT_EQ(result.entries[0].action, TicketAction::created);
  EXPECT_EQ(result.entries[0].ticket.key, "CHAOS-1");
  EXPECT_TRUE(fs::exists(out() / "tickets" / "CHAOS-1.md"));
  EXPECT_TRUE(fs::exists(out() / "tickets" / "CHAOS-1.json"));
  EXPECT_TRUE(fs::exists(out() / "tickets" / "CHAOS-1" / "risk-cart-survives-redis-pause.json"));
  EXPECT_TRUE(fs::exists(out() / "tickets" / "CHAOS-1" / "evidence-cart-survives-redis-pause.md"));
  EXPECT_EQ(index().size(), 1u);
  const std::map<std::string, std::string> links = {{k_id, (out() / "tickets" / "CHAOS-1.md").string()}};
  EXPECT_EQ(result.links(), links);
}

TEST_F(TicketSyncFileTest, SameRegressionInThreeRunsIsOneTicketWithTwoComments) {
  const auto first = sync(test::TicketRunBuilder("v1.4.0").failed(k_id).build());
  const auto second = sync(test::TicketRunBuilder("v1.4.1").failed(k_id).build());
  const auto third = sync(test::TicketRunBuilder("v1.5.0").failed(k_id).build());
  ASSERT_EQ(first.entries.size(), 1u);
  ASSERT_EQ(second.entries.size(), 1u);
  ASSERT_EQ(third.entries.size(), 1u);
  EXPECT_EQ(first.entries[0].action, TicketAction::created);
  EXPECT_EQ(second.entries[0].action, TicketAction::commented);
  EXPECT_EQ(third.entries[0].action, TicketAction::commented);
  EXPECT_EQ(second.entries[0].ticket.key, "CHAOS-1");
  EXPECT_EQ(third.entries[0].ticket.key, "CHAOS-1");

  const auto entries = index();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].at("key"), "CHAOS-1");
  EXPECT_EQ(entries[0].at("status"), "open");
  EXPECT_EQ(entries[0].at("comments"), 2);
  EXPECT_EQ(entries[0].at("fingerprint"), regression_fingerprint(test::k_ticket_suite, k_id, "cart-reads-during-stall"));
  EXPECT_FALSE(fs::exists(out() / "tickets" / "CHAOS-2.md"));

  const auto md = read(out() / "tickets" / "CHAOS-1.md");
  EXPECT_NE(md.find("### Comment 1 ("), std::string::npos) << md;
  EXPECT_NE(md.find("### Comment 2 ("), std::string::npos) << md;
  EXPECT_EQ(md.find("### Comment 3 ("), std::string::npos) << md;
  EXPECT_NE(md.find("**Regressed again** in release `v1.4.1`"), std::string::npos) << md;
  EXPECT_NE(md.find("**Regressed again** in release `v1.5.0`"), std::string::npos) << md;
  EXPECT_NE(md.find("/pipelines/v1.5.0"), std::string::npos) << md;
}

TEST_F(TicketSyncFileTest, PassingAgainCommentsRecoveryAndResolves) {
  sync(test::TicketRunBuilder("v1.4.0").failed(k_id).build());
  const auto recovered = sync(test::TicketRunBuilder("v1.6.0").passed(k_id).build());
  ASSERT_EQ(recovered.entries.size(), 1u);
  EXPECT_EQ(recovered.entries[0].action, TicketAction::recovered);
  EXPECT_EQ(recovered.entries[0].ticket.key, "CHAOS-1");
  EXPECT_EQ(index().at(0).at("status"), "resolved");
  EXPECT_EQ(index().at(0).at("comments"), 1);
  const auto md = read(out() / "tickets" / "CHAOS-1.md");
  EXPECT_NE(md.find("- **Status:** resolved"), std::string::npos) << md;
  EXPECT_NE(md.find("**Recovered:** `cart-survives-redis-pause` passed again in release `v1.6.0`"), std::string::npos) << md;

  // Announced once: the next pass finds nothing open.
  EXPECT_TRUE(sync(test::TicketRunBuilder("v1.6.1").passed(k_id).build()).entries.empty());
  EXPECT_EQ(index().at(0).at("comments"), 1);
}

TEST_F(TicketSyncFileTest, FlakyCountsAsRecovered) {
  sync(test::TicketRunBuilder("v1.4.0").failed(k_id).build());
  const auto result = sync(test::TicketRunBuilder("v1.6.0").flaky(k_id).build());
  ASSERT_EQ(result.entries.size(), 1u);
  EXPECT_EQ(result.entries[0].action, TicketAction::recovered);
  EXPECT_EQ(index().at(0).at("status"), "resolved");
}

TEST_F(TicketSyncFileTest, RegressionAfterRecoveryOpensANewTicket) {
  sync(test::TicketRunBuilder("v1.4.0").failed(k_id).build());
  sync(test::TicketRunBuilder("v1.6.0").passed(k_id).build());
  const auto again = sync(test::TicketRunBuilder("v1.7.0").failed(k_id).build());
  ASSERT_EQ(again.entries.size(), 1u);
  EXPECT_EQ(again.entries[0].action, TicketAction::created);
  EXPECT_EQ(again.entries[0].ticket.key, "CHAOS-2");
  const auto entries = index();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].at("status"), "resolved");
  EXPECT_EQ(entries[1].at("status"), "open");
  EXPECT_EQ(entries[0].at("fingerprint"), entries[1].at("fingerprint"));
}

TEST_F(TicketSyncFileTest, TwoExperimentsGetTwoTickets) {
  const auto result = sync(test::TicketRunBuilder().failed("cart-a").failed("cart-b").build());
  EXPECT_TRUE(result.errors.empty());
  ASSERT_EQ(result.entries.size(), 2u);
  EXPECT_EQ(result.entries[0].ticket.key, "CHAOS-1");
  EXPECT_EQ(result.entries[1].ticket.key, "CHAOS-2");
  EXPECT_EQ(result.links().size(), 2u);
  EXPECT_EQ(index().size(), 2u);
  // Passing one of them again resolves only its ticket.
  const auto later = sync(test::TicketRunBuilder("v1.6.0").passed("cart-a").failed("cart-b").build());
  ASSERT_EQ(later.entries.size(), 2u);
  EXPECT_EQ(later.entries[0].action, TicketAction::recovered);
  EXPECT_EQ(later.entries[0].ticket.key, "CHAOS-1");
  EXPECT_EQ(later.entries[1].action, TicketAction::commented);
  EXPECT_EQ(later.entries[1].ticket.key, "CHAOS-2");
}

TEST_F(TicketSyncFileTest, AnotherDeviatedProbeIsAnotherRegression) {
  sync(test::TicketRunBuilder().failed(k_id, "cart-reads-during-stall").build());
  const auto other = sync(test::TicketRunBuilder().failed(k_id, "cart-writes-during-stall").build());
  ASSERT_EQ(other.entries.size(), 1u);
  EXPECT_EQ(other.entries[0].action, TicketAction::created);
  // A pass recovers both.
  const auto recovered = sync(test::TicketRunBuilder("v2").passed(k_id).build());
  ASSERT_EQ(recovered.entries.size(), 2u);
  EXPECT_EQ(recovered.entries[0].ticket.key, "CHAOS-1");
  EXPECT_EQ(recovered.entries[1].ticket.key, "CHAOS-2");
  EXPECT_EQ(recovered.links().at(k_id), (out() / "tickets" / "CHAOS-1.md").string());
}

TEST_F(TicketSyncFileTest, CorruptIndexIsAUserErrorNamingTheFileLeftUntouched) {
  sync(test::TicketRunBuilder().failed(k_id).build());
  const std::string corrupt = read(state() / "tickets.json").substr(0, 40);
  m_dir.write("state/tickets.json", corrupt);
  try {
    sync(test::TicketRunBuilder().failed(k_id).build());
    ADD_FAILURE() << "no error";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find((state() / "tickets.json").string()), std::string::npos) << e.what();
  }
  EXPECT_EQ(read(state() / "tickets.json"), corrupt);
}

TEST_F(TicketSyncFileTest, IndexGoingBadDuringSyncIsReportedPerTicket) {
  auto tracker = trackers::make_file_tracker(out().string(), state().string());
  m_dir.write("state/tickets.json", "not json");
  const auto result = sync_tickets(test::TicketRunBuilder().failed("cart-a").failed("cart-b").build(), *tracker);
  EXPECT_TRUE(result.entries.empty());
  ASSERT_EQ(result.errors.size(), 2u);
  EXPECT_EQ(result.errors[0].experiment_id, "cart-a");
  EXPECT_NE(result.errors[0].message.find("file tracker: " + (state() / "tickets.json").string()), std::string::npos)
      << result.errors[0].message;
  EXPECT_EQ(read(state() / "tickets.json"), "not json");
}

TEST(TicketSync, OneFailingTicketDoesNotStopTheOthers) {
  FakeTracker tracker;
  tracker.failing = {"cart-a"};
  const auto result = sync_tickets(test::TicketRunBuilder().failed("cart-a").failed("cart-b").build(), tracker);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].experiment_id, "cart-a");
  EXPECT_NE(result.errors[0].message.find("fake tracker: HTTP 500"), std::string::npos) << result.errors[0].message;
  EXPECT_EQ(result.errors[0].message.find("abcdef123456"), std::string::npos) << result.errors[0].message;
  ASSERT_EQ(result.entries.size(), 1u);
  EXPECT_EQ(result.entries[0].experiment_id, "cart-b");
  EXPECT_EQ(result.entries[0].action, TicketAction::created);
  EXPECT_EQ(result.links().at("cart-b"), "https://tracker.example.com/FAKE-1");
}

TEST(TicketSync, LooksUpRegressionsByFingerprintAndPassesByExperimentLabel) {
  FakeTracker tracker;
  const auto run = test::TicketRunBuilder().failed("cart-a").passed("cart-b").build();
  sync_tickets(run, tracker);
  // The passing experiments' lookups come first: they are asked together (here through the default find_open_each).
  const std::vector<std::string> calls = {
      "find_open team-cart " + experiment_label(test::k_ticket_suite, "cart-b"),
      "find_open team-cart " + regression_fingerprint(test::k_ticket_suite, "cart-a", "cart-reads-during-stall"),
      "create cart-a",
  };
  EXPECT_EQ(tracker.calls, calls);
}

TEST(TicketSync, PassingExperimentsAreLookedUpTogetherOncePerTeam) {
  BatchingFakeTracker tracker;
  const auto run = test::TicketRunBuilder()
                       .passed("cart-a")
                       .failed("cart-b")
                       .with(owned_pass("pay-c", "team-pay"))
                       .passed("cart-d")
                       .build();
  const auto label = [](const std::string& id) { return experiment_label(test::k_ticket_suite, id); };
  tracker.open[label("cart-d")] = {{"FAKE-4", ""}, {"FAKE-7", ""}};
  const auto result = sync_tickets(run, tracker);
  const std::vector<std::string> calls = {
      "find_open_each team-cart " + label("cart-a") + " " + label("cart-d"),
      "find_open_each team-pay " + label("pay-c"),
      "find_open team-cart " + regression_fingerprint(test::k_ticket_suite, "cart-b", "cart-reads-during-stall"),
      "create cart-b",
      "resolve FAKE-4",
      "resolve FAKE-7",
  };
  EXPECT_EQ(tracker.calls, calls);
  EXPECT_TRUE(result.errors.empty());
  ASSERT_EQ(result.entries.size(), 3u);  // in the run's order
  EXPECT_EQ(result.entries[0].experiment_id, "cart-b");
  EXPECT_EQ(result.entries[1].experiment_id, "cart-d");
  EXPECT_EQ(result.entries[1].ticket.key, "FAKE-4");
  EXPECT_EQ(result.entries[2].action, TicketAction::recovered);
  EXPECT_EQ(result.entries[2].ticket.key, "FAKE-7");
}

// A large run's labels are asked about 2,000 at a time, not held all at once.
TEST(TicketSync, PassesOfALargeRunAreLookedUpInBatchesOfTwoThousand) {
  BatchingFakeTracker tracker;
  test::TicketRunBuilder builder;
  for (int i = 0; i < 2500; ++i) builder.passed("cart-" + std::to_string(i));
  builder.with(owned_pass("pay-c", "team-pay"));
  const auto label = [](const std::string& id) { return experiment_label(test::k_ticket_suite, id); };
  tracker.open[label("cart-2100")] = {{"FAKE-9", ""}};
  const auto result = sync_tickets(builder.build(), tracker);
  std::vector<std::string> asked;  // each lookup call: its team and how many labels
  for (const auto& call : tracker.calls)
    if (call.starts_with("find_open_each "))
      asked.push_back(call.substr(15, call.find(' ', 15) - 15) + " " + std::to_string(std::count(call.begin(), call.end(), ' ') - 1));
  EXPECT_EQ(asked, (std::vector<std::string>{"team-cart 2000", "team-cart 500", "team-pay 1"}));
  EXPECT_NE(tracker.calls[1].find(label("cart-2100")), std::string::npos);
  EXPECT_EQ(tracker.calls.back(), "resolve FAKE-9");
  ASSERT_EQ(result.entries.size(), 1u);
  EXPECT_EQ(result.entries[0].experiment_id, "cart-2100");
  EXPECT_EQ(result.entries[0].action, TicketAction::recovered);
}

TEST(TicketSync, AFailedLookupTogetherFallsBackToOneByOne) {
  BatchingFakeTracker tracker;
  tracker.batch_fails = true;
  const auto label = [](const std::string& id) { return experiment_label(test::k_ticket_suite, id); };
  tracker.open[label("cart-b")] = {{"FAKE-2", ""}};
  const auto result = sync_tickets(test::TicketRunBuilder().passed("cart-a").passed("cart-b").build(), tracker);
  const std::vector<std::string> calls = {
      "find_open_each team-cart " + label("cart-a") + " " + label("cart-b"),
      "find_open team-cart " + label("cart-a"),
      "find_open team-cart " + label("cart-b"),
      "resolve FAKE-2",
  };
  EXPECT_EQ(tracker.calls, calls);
  EXPECT_TRUE(result.errors.empty());
  ASSERT_EQ(result.entries.size(), 1u);
  EXPECT_EQ(result.entries[0].action, TicketAction::recovered);
}

TEST(TicketSync, ATrackerDownAtTheLookupQueuesEveryChange) {
  WithOutbox queuing;
  BatchingFakeTracker tracker;
  tracker.batch_unavailable = true;
  const auto result = sync_tickets(test::TicketRunBuilder().passed("cart-a").failed("cart-b").build(), tracker, queuing.options);
  ASSERT_EQ(tracker.calls.size(), 1u);  // nothing else waited for the tracker
  EXPECT_TRUE(tracker.calls[0].starts_with("find_open_each team-cart"));
  ASSERT_EQ(result.entries.size(), 2u);
  EXPECT_EQ(result.entries[0].action, TicketAction::queued);
  EXPECT_EQ(result.entries[1].action, TicketAction::queued);
  EXPECT_EQ(queuing.outbox.pending().size(), 2u);

  // Without an outbox each change still asks the tracker itself (and would record its own error there).
  BatchingFakeTracker alone;
  alone.batch_unavailable = true;
  const auto unqueued = sync_tickets(test::TicketRunBuilder().passed("cart-a").build(), alone);
  EXPECT_EQ(alone.calls.size(), 2u);  // the lookup together, then find_open (which the fake answers)
  EXPECT_TRUE(unqueued.errors.empty());
}

// One team's lookup failing leaves the other teams' answers standing: a pass
// they found nothing open for still has no change, even once the tracker is
// down and every change is queued; the failed team's passes are queued, since
// nobody knows whether they have a ticket.
TEST(TicketSync, AnotherTeamsFailedLookupLeavesAnAnsweredPassWithNothingToQueue) {
  WithOutbox queuing;
  BatchingFakeTracker tracker;
  tracker.batch_failing_teams = {"team-pay"};
  tracker.create_unavailable = true;
  const auto label = [](const std::string& id) { return experiment_label(test::k_ticket_suite, id); };
  const auto run = test::TicketRunBuilder().failed("cart-b").passed("cart-a").with(owned_pass("pay-c", "team-pay")).build();
  const auto result = sync_tickets(run, tracker, queuing.options);
  const auto queued = queuing.outbox.pending();
  ASSERT_EQ(queued.size(), 2u);
  EXPECT_EQ(queued[0].change.kind, PendingTicketChange::Kind::regression);
  EXPECT_EQ(queued[1].change.kind, PendingTicketChange::Kind::recovery);
  EXPECT_EQ(queued[1].change.label, label("pay-c"));
  ASSERT_EQ(result.entries.size(), 2u);
  EXPECT_EQ(result.entries[0].experiment_id, "cart-b");
  EXPECT_EQ(result.entries[1].experiment_id, "pay-c");
}

TEST(TicketSync, ATrackerDownAfterTheLookupQueuesOnlyWhatHasATicketToChange) {
  WithOutbox queuing;
  BatchingFakeTracker tracker;
  tracker.create_unavailable = true;
  const auto label = [](const std::string& id) { return experiment_label(test::k_ticket_suite, id); };
  tracker.open[label("cart-d")] = {{"FAKE-9", ""}};
  const auto run = test::TicketRunBuilder().passed("cart-a").failed("cart-b").passed("cart-c").passed("cart-d").build();
  const auto result = sync_tickets(run, tracker, queuing.options);
  const std::vector<std::string> calls = {
      "find_open_each team-cart " + label("cart-a") + " " + label("cart-c") + " " + label("cart-d"),
      "find_open team-cart " + regression_fingerprint(test::k_ticket_suite, "cart-b", "cart-reads-during-stall"),
      "create cart-b",
  };
  EXPECT_EQ(tracker.calls, calls);
  EXPECT_TRUE(result.errors.empty());
  // The passes the lookup found no ticket for have nothing to resolve, then or later: not queued.
  ASSERT_EQ(result.entries.size(), 2u);
  EXPECT_EQ(result.entries[0].experiment_id, "cart-b");
  EXPECT_EQ(result.entries[1].experiment_id, "cart-d");
  EXPECT_EQ(result.entries[1].action, TicketAction::queued);
  const auto queued = queuing.outbox.pending();
  ASSERT_EQ(queued.size(), 2u);
  EXPECT_EQ(queued[1].change.kind, PendingTicketChange::Kind::recovery);
  EXPECT_EQ(queued[1].change.label, label("cart-d"));
}

TEST(TicketSync, CommentsOnTheOldestOpenTicket) {
  FakeTracker tracker;
  const auto run = test::TicketRunBuilder().failed("cart-a").build();
  tracker.open[run.experiments[0].fingerprint] = {{"FAKE-3", ""}, {"FAKE-9", ""}};
  const auto result = sync_tickets(run, tracker);
  ASSERT_EQ(result.entries.size(), 1u);
  EXPECT_EQ(result.entries[0].action, TicketAction::commented);
  EXPECT_EQ(result.entries[0].ticket.key, "FAKE-3");
  EXPECT_EQ(tracker.calls.back(), "comment FAKE-3");
  EXPECT_EQ(result.links().at("cart-a"), "FAKE-3");  // no URL: the key
}

TEST(TicketSync, ErrorsSkipsAndAbortsTouchNoTicket) {
  FakeTracker tracker;
  auto error = test::ticket_pass("cart-error", Verdict::error);
  auto skipped = test::ticket_pass("cart-skipped", Verdict::skipped);
  auto aborted = test::ticket_pass("cart-aborted", Verdict::aborted);
  const auto run = test::TicketRunBuilder().with(error).with(skipped).with(aborted).build();
  const auto result = sync_tickets(run, tracker);
  EXPECT_TRUE(tracker.calls.empty());
  EXPECT_TRUE(result.entries.empty());
  EXPECT_TRUE(result.errors.empty());
}

TEST(TicketSync, ActionNames) {
  EXPECT_EQ(action_name(TicketAction::created), "created");
  EXPECT_EQ(action_name(TicketAction::commented), "commented");
  EXPECT_EQ(action_name(TicketAction::recovered), "recovered");
}

}  // namespace
}  // namespace chaosgate

namespace chaosgate {
namespace {

TEST(TicketSync, PriorityNamesFromTheConfigurationReplaceTheDefault) {
  FakeTracker tracker;
  TicketSyncOptions options;
  options.priority_names = {{"high", "Major"}, {"critical", "Blocker"}};  // the fixture's risk level is high
  sync_tickets(test::TicketRunBuilder().failed(k_id).build(), tracker, options);
  ASSERT_EQ(tracker.created.size(), 1u);
  EXPECT_EQ(tracker.created.front().priority, "Major");

  FakeTracker unmapped;
  sync_tickets(test::TicketRunBuilder().failed(k_id).build(), unmapped);
  ASSERT_EQ(unmapped.created.size(), 1u);
  EXPECT_EQ(unmapped.created.front().priority, "High");
}

}  // namespace
}  // namespace chaosgate
