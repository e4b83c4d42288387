#include "trackers/file_tracker.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/files.h"
#include "support/find_open_each_check.h"
#include "support/temp_dir.h"
#include "support/ticket_runs.h"
#include "util/errors.h"

namespace chaosgate::trackers {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& path) { return test::read_file(path.string()); }

nlohmann::json read_json(const fs::path& path) { return nlohmann::json::parse(read(path)); }

Ticket ticket_for(const std::string& id, const std::string& probe = "cart-reads-during-stall") {
  const auto run = test::TicketRunBuilder().failed(id, probe).build();
  return compose_ticket(run, run.experiments.at(0));
}

class FileTrackerTest : public ::testing::Test {
protected:
  fs::path out() const { return m_dir.path() / "out"; }
  fs::path state() const { return m_dir.path() / "state"; }
  fs::path index() const { return state() / "tickets.json"; }
  std::unique_ptr<Tracker> tracker(const fs::path& out_dir) const { return make_file_tracker(out_dir.string(), state().string()); }
  std::unique_ptr<Tracker> tracker() const { return tracker(out()); }

  test::TempDir m_dir;
};

TEST_F(FileTrackerTest, CreatesTicketFilesAttachmentsAndIndexEntry) {
  const auto ticket = ticket_for("cart-survives-redis-pause");
  const auto ref = tracker()->create(ticket);
  EXPECT_EQ(ref.key, "CHAOS-1");
  EXPECT_EQ(ref.url, (out() / "tickets" / "CHAOS-1.md").string());

  const auto md = read(out() / "tickets" / "CHAOS-1.md");
  EXPECT_EQ(md.rfind("# CHAOS-1: [chaos regression] Cart survives a Redis pause (cart)\n", 0), 0u) << md;
  EXPECT_NE(md.find("- **Status:** open"), std::string::npos) << md;
  EXPECT_NE(md.find("- **Priority:** High"), std::string::npos) << md;
  EXPECT_NE(md.find("`chaos-regression`, `" + ticket.fingerprint + "`"), std::string::npos) << md;
  EXPECT_NE(md.find(ticket.body), std::string::npos) << md;
  EXPECT_NE(md.find("## Attached files\n\n- [risk-cart-survives-redis-pause.json](CHAOS-1/risk-cart-survives-redis-pause.json)\n"
                    "- [evidence-cart-survives-redis-pause.md](CHAOS-1/evidence-cart-survives-redis-pause.md)\n"),
            std::string::npos)
      << md;
  EXPECT_EQ(md.find("## Comments"), std::string::npos) << md;

  EXPECT_EQ(read(out() / "tickets" / "CHAOS-1" / "risk-cart-survives-redis-pause.json"), ticket.attachments.at(0).content);
  EXPECT_EQ(read(out() / "tickets" / "CHAOS-1" / "evidence-cart-survives-redis-pause.md"), ticket.attachments.at(1).content);

  const auto record = read_json(out() / "tickets" / "CHAOS-1.json");
  EXPECT_EQ(record.at("summary"), ticket.summary);
  EXPECT_EQ(record.at("priority"), "High");
  EXPECT_EQ(record.at("labels"), ticket.labels);
  EXPECT_EQ(record.at("tasks").size(), 2u);
  EXPECT_EQ(record.at("attachments").size(), 2u);

  const auto entries = read_json(index()).at("tickets");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].at("key"), "CHAOS-1");
  EXPECT_EQ(entries[0].at("fingerprint"), ticket.fingerprint);
  EXPECT_EQ(entries[0].at("status"), "open");
  EXPECT_EQ(entries[0].at("comments"), 0);
  EXPECT_FALSE(entries[0].at("created").get<std::string>().empty());
  EXPECT_EQ(entries[0].at("created"), entries[0].at("updated"));
}

TEST_F(FileTrackerTest, FindsOpenTicketsByLabelInTheTeamsProject) {
  const auto ticket = ticket_for("cart-survives-redis-pause");
  const auto ref = tracker()->create(ticket);
  auto again = tracker();  // a later run
  ASSERT_EQ(again->find_open("team-cart", ticket.fingerprint).size(), 1u);
  EXPECT_EQ(again->find_open("team-cart", ticket.fingerprint).at(0).key, ref.key);
  EXPECT_EQ(again->find_open("team-cart", ticket.experiment_label).size(), 1u);
  EXPECT_TRUE(again->find_open("team-search", ticket.fingerprint).empty());
  EXPECT_TRUE(again->find_open("team-cart", "cg-0000000000000000").empty());
}

TEST_F(FileTrackerTest, FindOpenEachAnswersAsFindOpenDoesForEveryLabel) {
  auto files = tracker();
  auto labels = test::file_tickets(*files, 4, 1);
  files->resolve(files->find_open("team-cart", labels[3]).at(0), "recovered");
  labels.push_back("cg-exp-ffffffffffffffff");
  const auto found = files->find_open_each("team-cart", labels);
  EXPECT_EQ(test::expect_same_as_find_open(*files, "team-cart", labels, found), 4u);
  EXPECT_EQ(found.at(labels[1]).size(), 2u);
  EXPECT_FALSE(found.contains(labels[3]));  // none open: left out
  EXPECT_TRUE(files->find_open_each("team-other", labels).empty());  // another team's project
}

TEST_F(FileTrackerTest, KeysCountUpAcrossRuns) {
  EXPECT_EQ(tracker()->create(ticket_for("a")).key, "CHAOS-1");
  EXPECT_EQ(tracker()->create(ticket_for("b")).key, "CHAOS-2");
  auto later = tracker(m_dir.path() / "out-2");
  EXPECT_EQ(later->create(ticket_for("c")).key, "CHAOS-3");
}

TEST_F(FileTrackerTest, CommentsAreAppendedAndCounted) {
  auto files = tracker();
  const auto ref = files->create(ticket_for("a"));
  files->comment(ref, "first **comment**");
  tracker()->comment(ref, "second comment");

  const auto md = read(out() / "tickets" / "CHAOS-1.md");
  const auto comments = md.find("\n## Comments\n");
  ASSERT_NE(comments, std::string::npos) << md;
  const auto first = md.find("### Comment 1 (");
  const auto second = md.find("### Comment 2 (");
  ASSERT_NE(first, std::string::npos) << md;
  ASSERT_NE(second, std::string::npos) << md;
  EXPECT_LT(comments, first);
  EXPECT_LT(first, second);
  EXPECT_NE(md.find("first **comment**", first), std::string::npos);
  EXPECT_NE(md.find("second comment", second), std::string::npos);
  EXPECT_EQ(read_json(out() / "tickets" / "CHAOS-1.json").at("comments").size(), 2u);
  EXPECT_EQ(read_json(index()).at("tickets").at(0).at("comments"), 2);
  EXPECT_EQ(read_json(index()).at("tickets").at(0).at("status"), "open");
}

TEST_F(FileTrackerTest, ResolvedTicketsAreNoLongerOpen) {
  const auto ticket = ticket_for("a");
  const auto ref = tracker()->create(ticket);
  tracker()->resolve(ref, "recovered in v1.6.0");
  EXPECT_TRUE(tracker()->find_open("team-cart", ticket.fingerprint).empty());
  EXPECT_TRUE(tracker()->find_open("team-cart", ticket.experiment_label).empty());
  const auto entry = read_json(index()).at("tickets").at(0);
  EXPECT_EQ(entry.at("status"), "resolved");
  EXPECT_EQ(entry.at("comments"), 1);
  const auto md = read(out() / "tickets" / "CHAOS-1.md");
  EXPECT_NE(md.find("- **Status:** resolved"), std::string::npos) << md;
  EXPECT_NE(md.find("recovered in v1.6.0"), std::string::npos) << md;
}

TEST_F(FileTrackerTest, OpenTicketsByExperimentReadsTheIndexForOneSuite) {
  EXPECT_TRUE(open_tickets_by_experiment(state().string(), test::k_ticket_suite).empty()) << "no index yet";
  const auto a = tracker()->create(ticket_for("a"));
  tracker()->create(ticket_for("a", "another-probe"));
  tracker()->resolve(tracker()->create(ticket_for("b")), "recovered");
  const auto open = open_tickets_by_experiment(state().string(), test::k_ticket_suite);
  ASSERT_EQ(open.size(), 1u) << "b's only ticket is resolved";
  EXPECT_EQ(open.at("a"), (std::vector<std::string>{"CHAOS-1", "CHAOS-2"}));
  // Another suite sharing the state directory, with the same experiment ids, has none.
  EXPECT_TRUE(open_tickets_by_experiment(state().string(), "another suite").empty());
  std::ofstream(index()) << "{\"schemaVersion\": 1";
  EXPECT_THROW(open_tickets_by_experiment(state().string(), test::k_ticket_suite), UserError);
}

TEST_F(FileTrackerTest, CommentUnderAnotherOutputDirectoryContinuesTheTicket) {
  const auto ref = tracker()->create(ticket_for("a"));
  const fs::path next_out = m_dir.path() / "next-job";
  auto next = tracker(next_out);
  const auto found = next->find_open("team-cart", ticket_for("a").fingerprint);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].url, (next_out / "tickets" / "CHAOS-1.md").string());
  next->comment(found[0], "seen again");
  const auto md = read(next_out / "tickets" / "CHAOS-1.md");
  EXPECT_NE(md.find("created by an earlier run in `" + ref.url + "`"), std::string::npos) << md;
  EXPECT_NE(md.find("seen again"), std::string::npos) << md;
  EXPECT_EQ(read(out() / "tickets" / "CHAOS-1.md").find("seen again"), std::string::npos);
  EXPECT_EQ(read_json(index()).at("tickets").at(0).at("comments"), 1);
}

TEST_F(FileTrackerTest, CorruptIndexIsAUserErrorNamingTheFileAndIsLeftAlone) {
  for (const std::string corrupt :
       {"{\"schemaVersion\": 1, \"tickets\": [", "[1, 2]", "{\"schemaVersion\": 7, \"tickets\": []}",
        "{\"schemaVersion\": 1, \"tickets\": [{\"key\": \"CHAOS-1\"}]}",
        R"({"schemaVersion": 1, "tickets": [{"key": "X-1", "team": "t", "experiment": "e", "fingerprint": "f",
            "labels": [], "summary": "s", "status": "open", "comments": 0, "created": "", "updated": "", "file": ""}]})",
        R"({"schemaVersion": 1, "tickets": [{"key": "CHAOS-1", "team": "t", "experiment": "e", "fingerprint": "f",
            "labels": [], "summary": "s", "status": "lost", "comments": 0, "created": "", "updated": "", "file": ""}]})"}) {
    m_dir.write("state/tickets.json", corrupt);
    try {
      tracker();
      ADD_FAILURE() << "no error for " << corrupt;
    } catch (const UserError& e) {
      EXPECT_NE(std::string(e.what()).find(index().string()), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("corrupt ticket index"), std::string::npos) << e.what();
      EXPECT_EQ(e.exit_code(), k_exit_usage);
    }
    EXPECT_EQ(read(index()), corrupt);
  }
}

TEST_F(FileTrackerTest, IndexThatGoesBadLaterIsAUserErrorToo) {
  auto files = tracker();
  const auto ref = files->create(ticket_for("a"));
  m_dir.write("state/tickets.json", "garbage");
  EXPECT_THROW(files->find_open("team-cart", "x"), UserError);
  EXPECT_THROW(files->create(ticket_for("b")), UserError);
  EXPECT_THROW(files->comment(ref, "c"), UserError);
  EXPECT_EQ(read(index()), "garbage");
  EXPECT_FALSE(fs::exists(out() / "tickets" / "CHAOS-2.md"));
}

TEST_F(FileTrackerTest, LeavesNoTemporaryFiles) {
  auto files = tracker();
  const auto ref = files->create(ticket_for("a"));
  files->comment(ref, "c");
  for (const auto& entry : fs::recursive_directory_iterator(m_dir.path()))
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos) << entry.path();
}

TEST_F(FileTrackerTest, NoIndexYetMeansNoTickets) {
  auto files = tracker();
  EXPECT_EQ(files->name(), "file");
  EXPECT_TRUE(files->find_open("team-cart", "anything").empty());
  EXPECT_FALSE(fs::exists(index()));
}

}  // namespace
}  // namespace chaosgate::trackers
