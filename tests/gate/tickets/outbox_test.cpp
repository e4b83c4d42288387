#include "tickets/outbox.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "support/files.h"
#include "support/temp_dir.h"
#include "support/ticket_runs.h"
#include "tickets/ticket_sync.h"
#include "trackers/file_tracker.h"

namespace chaosgate {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_id = "cart-survives-redis-pause";

std::string read(const fs::path& path) { return test::read_file(path.string()); }

// A real file tracker behind a switch: while `down`, every call throws
// TrackerUnavailable as a Jira adapter does after its retries. With
// `fail_after_create`, a create reaches the tracker and then the answer is
// lost (the crash between create and bookkeeping). `rejected` experiments
// get a 400-like error.
class SwitchableTracker : public Tracker {
public:
  SwitchableTracker(const fs::path& out, const fs::path& state)
      : m_inner(trackers::make_file_tracker(out.string(), state.string())) {}
  std::string name() const override { return "switchable"; }
  std::vector<TicketRef> find_open(const std::string& team, const std::string& label) override {
    check();
    return m_inner->find_open(team, label);
  }
  TicketRef create(const Ticket& ticket) override {
    check();
    if (rejected.count(ticket.experiment_id) != 0) throw std::runtime_error("HTTP 400 Bad Request: project CHK does not exist");
    auto ref = m_inner->create(ticket);
    if (fail_after_create) throw TrackerUnavailable("connection reset after the request was sent");
    return ref;
  }
  void comment(const TicketRef& ticket, const std::string& markdown) override {
    check();
    m_inner->comment(ticket, markdown);
  }
  void resolve(const TicketRef& ticket, const std::string& markdown) override {
    check();
    m_inner->resolve(ticket, markdown);
  }

  bool down = false;
  bool fail_after_create = false;
  std::set<std::string> rejected;
  int calls = 0;  // tracker calls attempted

private:
  void check() {
    ++calls;
    if (down) throw TrackerUnavailable("HTTP 503 Service Unavailable after 5 attempts");
  }
  std::unique_ptr<Tracker> m_inner;
};

class OutboxTest : public ::testing::Test {
protected:
  fs::path out() const { return m_dir.path() / "out"; }
  fs::path state() const { return m_dir.path() / "state"; }
  TicketOutbox outbox() const { return TicketOutbox((state() / "outbox").string()); }
  nlohmann::json index() const { return nlohmann::json::parse(read(state() / "tickets.json")).at("tickets"); }
  std::size_t queued_files() const {
    std::size_t n = 0;
    if (fs::exists(state() / "outbox"))
      for (const auto& entry : fs::directory_iterator(state() / "outbox")) n += entry.path().extension() == ".json";
    return n;
  }

  test::TempDir m_dir;
};

TEST_F(OutboxTest, AQueuedChangeReadsBackWithEveryField) {
  const RunResult run = test::TicketRunBuilder().failed(k_id).build();
  auto change = ticket_change(run, run.experiments.front());
  ASSERT_TRUE(change.has_value());
  change->jira = JiraRoute{"CHK", "cart", "Bug", "5b10ac8d82e05b22cc7d4ef5"};
  change->gitlab = GitlabRoute{"shop/checkout", {"team::checkout"}, {42}};
  auto box = outbox();
  box.add(*change);

  const auto pending = box.pending();
  ASSERT_EQ(pending.size(), 1u);
  const auto& back = pending.front().change;
  EXPECT_EQ(back.kind, PendingTicketChange::Kind::regression);
  EXPECT_EQ(back.experiment_id, k_id);
  EXPECT_EQ(back.team, "team-cart");
  EXPECT_EQ(back.label, change->ticket.fingerprint);
  EXPECT_EQ(back.comment, change->comment);
  EXPECT_EQ(back.run_id, "run-v1.4.0");
  EXPECT_EQ(back.ticket.summary, change->ticket.summary);
  EXPECT_EQ(back.ticket.body, change->ticket.body);
  EXPECT_EQ(back.ticket.labels, change->ticket.labels);
  ASSERT_EQ(back.ticket.attachments.size(), change->ticket.attachments.size());
  EXPECT_EQ(back.ticket.attachments.back().content, change->ticket.attachments.back().content);
  ASSERT_EQ(back.ticket.tasks.size(), 2u);
  ASSERT_TRUE(back.jira.has_value());
  EXPECT_EQ(back.jira->assignee, "5b10ac8d82e05b22cc7d4ef5");
  ASSERT_TRUE(back.gitlab.has_value());
  EXPECT_EQ(back.gitlab->assignee_ids, std::vector<long>{42});
}

TEST_F(OutboxTest, TrackerDownQueuesAndTheNextRunCreatesExactlyOneTicket) {
  const RunResult failing = test::TicketRunBuilder("v1.4.0").failed(k_id).build();
  auto box = outbox();
  TicketSyncOptions options;
  options.outbox = &box;
  options.teams["team-cart"] = Team{"team-cart", "Cart", JiraRoute{"CHK", "", "Bug", ""}, std::nullopt, {}};
  {
    SwitchableTracker tracker(out(), state());
    tracker.down = true;
    const auto synced = sync_tickets(failing, tracker, options);
    ASSERT_EQ(synced.entries.size(), 1u);
    EXPECT_EQ(synced.entries.front().action, TicketAction::queued);
    EXPECT_TRUE(synced.errors.empty());
    EXPECT_TRUE(synced.links().empty());
  }
  EXPECT_EQ(queued_files(), 1u);
  EXPECT_EQ(box.pending().front().change.jira->project, "CHK");
  EXPECT_FALSE(fs::exists(state() / "tickets.json"));

  // The next run: the outbox first, then its own (same) regression.
  SwitchableTracker tracker(out(), state());
  const auto delivered = deliver_outbox(box, tracker);
  ASSERT_EQ(delivered.entries.size(), 1u);
  EXPECT_EQ(delivered.entries.front().action, TicketAction::created);
  EXPECT_EQ(delivered.remaining, 0u);
  EXPECT_EQ(queued_files(), 0u);
  const auto synced = sync_tickets(test::TicketRunBuilder("v1.4.1").failed(k_id).build(), tracker, options);
  ASSERT_EQ(synced.entries.size(), 1u);
  EXPECT_EQ(synced.entries.front().action, TicketAction::commented);
  ASSERT_EQ(index().size(), 1u);
  EXPECT_EQ(index()[0].at("comments").get<int>(), 1);
}

TEST_F(OutboxTest, ALostCreateAnswerIsDeliveredAsACommentNotASecondTicket) {
  auto box = outbox();
  TicketSyncOptions options;
  options.outbox = &box;
  {
    SwitchableTracker tracker(out(), state());
    tracker.fail_after_create = true;
    const auto synced = sync_tickets(test::TicketRunBuilder().failed(k_id).build(), tracker, options);
    ASSERT_EQ(synced.entries.size(), 1u);
    EXPECT_EQ(synced.entries.front().action, TicketAction::queued);
  }
  SwitchableTracker tracker(out(), state());
  const auto delivered = deliver_outbox(box, tracker);
  ASSERT_EQ(delivered.entries.size(), 1u);
  EXPECT_EQ(delivered.entries.front().action, TicketAction::commented);
  ASSERT_EQ(index().size(), 1u);
}

TEST_F(OutboxTest, DeliveryStopsWhileTheTrackerIsStillDownAndKeepsTheOrder) {
  auto box = outbox();
  TicketSyncOptions options;
  options.outbox = &box;
  SwitchableTracker tracker(out(), state());
  tracker.down = true;
  const auto synced = sync_tickets(test::TicketRunBuilder().failed("first").failed("second").build(), tracker, options);
  ASSERT_EQ(queued_files(), 2u);
  EXPECT_EQ(tracker.calls, 1) << "after the first unavailable answer the rest is queued without waiting again";
  ASSERT_EQ(synced.entries.size(), 2u);
  EXPECT_EQ(synced.entries[1].action, TicketAction::queued);

  const auto still_down = deliver_outbox(box, tracker);
  EXPECT_TRUE(still_down.tracker_unavailable);
  EXPECT_TRUE(still_down.entries.empty());
  EXPECT_EQ(still_down.remaining, 2u);
  ASSERT_EQ(still_down.errors.size(), 1u);
  EXPECT_EQ(still_down.errors.front().experiment_id, "first");

  tracker.down = false;
  const auto delivered = deliver_outbox(box, tracker);
  ASSERT_EQ(delivered.entries.size(), 2u);
  EXPECT_EQ(delivered.entries[0].experiment_id, "first");
  EXPECT_EQ(delivered.entries[0].ticket.key, "CHAOS-1");
  EXPECT_EQ(delivered.entries[1].experiment_id, "second");
  EXPECT_EQ(delivered.entries[1].ticket.key, "CHAOS-2");
}

TEST_F(OutboxTest, ARejectedChangeStaysQueuedAndTheOthersAreDelivered) {
  auto box = outbox();
  TicketSyncOptions options;
  options.outbox = &box;
  SwitchableTracker tracker(out(), state());
  tracker.down = true;
  sync_tickets(test::TicketRunBuilder().failed("rejected").failed("fine").build(), tracker, options);
  tracker.down = false;
  tracker.rejected = {"rejected"};

  const auto delivered = deliver_outbox(box, tracker);
  ASSERT_EQ(delivered.entries.size(), 1u);
  EXPECT_EQ(delivered.entries.front().experiment_id, "fine");
  ASSERT_EQ(delivered.errors.size(), 1u);
  EXPECT_NE(delivered.errors.front().message.find("project CHK does not exist"), std::string::npos);
  EXPECT_EQ(delivered.remaining, 1u);
  EXPECT_EQ(queued_files(), 1u);
  EXPECT_EQ(box.pending().front().change.experiment_id, "rejected");
}

TEST_F(OutboxTest, AFileThatIsNotAChangeIsReportedAndKept) {
  auto box = outbox();
  SwitchableTracker tracker(out(), state());
  tracker.down = true;
  TicketSyncOptions options;
  options.outbox = &box;
  sync_tickets(test::TicketRunBuilder().failed(k_id).build(), tracker, options);
  const fs::path bad = state() / "outbox" / "000000000000000-0000-garbage.json";
  std::ofstream(bad) << "{\"version\": 1, \"kind\": \"regres";
  tracker.down = false;

  const auto delivered = deliver_outbox(box, tracker);
  EXPECT_EQ(delivered.entries.size(), 1u);
  ASSERT_EQ(delivered.unreadable.size(), 1u);
  EXPECT_NE(delivered.unreadable.front().find("garbage.json"), std::string::npos);
  EXPECT_TRUE(fs::exists(bad));
}

TEST_F(OutboxTest, WithoutAnOutboxAnUnavailableTrackerIsAnError) {
  SwitchableTracker tracker(out(), state());
  tracker.down = true;
  const auto synced = sync_tickets(test::TicketRunBuilder().failed(k_id).build(), tracker);
  EXPECT_TRUE(synced.entries.empty());
  ASSERT_EQ(synced.errors.size(), 1u);
  EXPECT_NE(synced.errors.front().message.find("503"), std::string::npos);
}

TEST_F(OutboxTest, ARecoveryIsQueuedTooAndResolvesWhenDelivered) {
  auto box = outbox();
  TicketSyncOptions options;
  options.outbox = &box;
  SwitchableTracker tracker(out(), state());
  sync_tickets(test::TicketRunBuilder("v1").failed(k_id).build(), tracker, options);
  tracker.down = true;
  const auto synced = sync_tickets(test::TicketRunBuilder("v2").passed(k_id).build(), tracker, options);
  ASSERT_EQ(synced.entries.size(), 1u);
  EXPECT_EQ(synced.entries.front().action, TicketAction::queued);
  EXPECT_EQ(index()[0].at("status"), "open");

  tracker.down = false;
  const auto delivered = deliver_outbox(box, tracker);
  ASSERT_EQ(delivered.entries.size(), 1u);
  EXPECT_EQ(delivered.entries.front().action, TicketAction::recovered);
  EXPECT_EQ(index()[0].at("status"), "resolved");
}

}  // namespace
}  // namespace chaosgate
