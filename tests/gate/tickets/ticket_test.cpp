#include "tickets/ticket.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "support/ticket_runs.h"
#include "util/redact.h"

namespace chaosgate {
namespace {

constexpr const char* k_id = "cart-survives-redis-pause";

const TicketAttachment* attachment(const Ticket& ticket, const std::string& name) {
  const auto it = std::find_if(ticket.attachments.begin(), ticket.attachments.end(),
                               [&](const TicketAttachment& a) { return a.name == name; });
  return it == ticket.attachments.end() ? nullptr : &*it;
}

Ticket sample_ticket() {
  const auto run = test::TicketRunBuilder().failed(k_id).build();
  return compose_ticket(run, run.experiments.at(0));
}

TEST(Ticket, SummaryNamesTitleAndService) {
  EXPECT_EQ(sample_ticket().summary, "[chaos regression] Cart survives a Redis pause (cart)");
}

TEST(Ticket, CarriesExperimentTeamAndFingerprint) {
  const auto ticket = sample_ticket();
  EXPECT_EQ(ticket.experiment_id, k_id);
  EXPECT_EQ(ticket.team, "team-cart");
  EXPECT_EQ(ticket.fingerprint, regression_fingerprint(test::k_ticket_suite, k_id, "cart-reads-during-stall"));
  EXPECT_EQ(ticket.experiment_label, experiment_label(test::k_ticket_suite, k_id));
}

TEST(Ticket, LabelsIdentifyAndClassifyTheRegression) {
  const auto ticket = sample_ticket();
  const std::vector<std::string> expected = {"chaosgate", "chaos-regression", ticket.fingerprint,
                                             ticket.experiment_label, "risk:high", "attack:state"};
  EXPECT_EQ(ticket.labels, expected);
  for (const auto& label : ticket.labels) EXPECT_EQ(label.find(' '), std::string::npos) << label;
}

TEST(Ticket, ExperimentLabelIsStableAndSeparatesSuites) {
  EXPECT_EQ(experiment_label("a", "x"), experiment_label("a", "x"));
  EXPECT_NE(experiment_label("a", "x"), experiment_label("b", "x"));
  EXPECT_NE(experiment_label("a", "bc"), experiment_label("ab", "c"));
  EXPECT_EQ(experiment_label("shop suite", "x").rfind("cg-exp-", 0), 0u);
  EXPECT_EQ(experiment_label("shop suite", "x").size(), 7u + 16u);
}

TEST(Ticket, PriorityFollowsRiskLevel) {
  EXPECT_EQ(ticket_priority(RiskLevel::critical), "Highest");
  EXPECT_EQ(ticket_priority(RiskLevel::high), "High");
  EXPECT_EQ(ticket_priority(RiskLevel::medium), "Medium");
  EXPECT_EQ(ticket_priority(RiskLevel::low), "Low");
  auto result = test::ticket_regression(k_id);
  result.experiment.risk_level = RiskLevel::critical;
  const auto run = test::TicketRunBuilder().with(result).build();
  const auto ticket = compose_ticket(run, run.experiments.at(0));
  EXPECT_EQ(ticket.priority, "Highest");
  EXPECT_NE(std::find(ticket.labels.begin(), ticket.labels.end(), "risk:critical"), ticket.labels.end());
}

TEST(Ticket, BodyStatesHypothesisDeviationAndRelease) {
  const auto body = sample_ticket().body;
  EXPECT_NE(body.find("## Hypothesis\n\nWhile Redis is paused for 20 s, cart reads keep succeeding"), std::string::npos) << body;
  EXPECT_NE(body.find("- **Probe:** `cart-reads-during-stall`"), std::string::npos) << body;
  EXPECT_NE(body.find("- **Expected:** success ratio >= 0.95"), std::string::npos) << body;
  EXPECT_NE(body.find("- **Observed:** success ratio 0.71 (71/100)"), std::string::npos) << body;
  EXPECT_NE(body.find("- **When:** 2026-11-25T07:12:03.000Z"), std::string::npos) << body;
  EXPECT_NE(body.find("- **Tag:** `v1.4.0`"), std::string::npos) << body;
  EXPECT_NE(body.find("- **Commit:** `c0ffeev1.4.0`"), std::string::npos) << body;
  EXPECT_NE(body.find("- **Project:** `shop/cart`"), std::string::npos) << body;
  EXPECT_NE(body.find("- **Pipeline:** [https://gitlab.example.com/shop/cart/-/pipelines/v1.4.0]"
                      "(https://gitlab.example.com/shop/cart/-/pipelines/v1.4.0)"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("- **Job:** [https://gitlab.example.com/shop/cart/-/jobs/v1.4.0]"), std::string::npos) << body;
  EXPECT_NE(body.find("release `v1.4.0` (commit `c0ffeev1.4.0`)"), std::string::npos) << body;
}

TEST(Ticket, BodyUsesOnlyTheCiValuesPresent) {
  auto run = test::TicketRunBuilder().failed(k_id).build();
  run.ci.values = {{"ref", "main"}, {"mr", "42"}};
  const auto body = compose_ticket(run, run.experiments.at(0)).body;
  EXPECT_NE(body.find("- **Ref:** `main`"), std::string::npos) << body;
  EXPECT_NE(body.find("- **Merge request:** `42`"), std::string::npos) << body;
  EXPECT_EQ(body.find("Pipeline"), std::string::npos) << body;
  EXPECT_EQ(body.find("Commit:"), std::string::npos) << body;

  run.ci.values.clear();
  const auto local = compose_ticket(run, run.experiments.at(0)).body;
  EXPECT_NE(local.find("No CI context"), std::string::npos) << local;
}

TEST(Ticket, FollowUpTasksAreAChecklistAndTasks) {
  const auto ticket = sample_ticket();
  EXPECT_NE(ticket.body.find("## Follow-up tasks\n\n"
                             "- [ ] Add a circuit breaker around Redis reads: fall back to the local cache\n"
                             "- [ ] Alert on cache fallback rate\n"),
            std::string::npos)
      << ticket.body;
  ASSERT_EQ(ticket.tasks.size(), 2u);
  EXPECT_EQ(ticket.tasks[0].title, "Add a circuit breaker around Redis reads");
  EXPECT_EQ(ticket.tasks[0].description, "fall back to the local cache");
}

TEST(Ticket, IncidentCategoryWithItsIncidents) {
  const auto body = sample_ticket().body;
  EXPECT_NE(body.find("## Incident category\n\n**Cache outage** (`cache-outage`)\n\nLinked incidents: INC-1042, INC-1077\n"),
            std::string::npos)
      << body;
}

TEST(Ticket, RiskAssessmentIsAMarkdownTable) {
  const auto body = sample_ticket().body;
  EXPECT_NE(body.find("## Risk assessment\n\n"
                      "| Risk | Value |\n|---|---|\n"
                      "| Likelihood | 4 / 5 |\n"
                      "| Impact | 4 / 5 |\n"
                      "| Score | 16 / 25 |\n"
                      "| Level | high |\n"
                      "| Attack group | state |\n"
                      "| Preparation cost | medium |\n"
                      "| Incident category | Cache outage (cache-outage) |\n"),
            std::string::npos)
      << body;
}

TEST(Ticket, TableCellsCannotBreakTheTable) {
  auto result = test::ticket_regression(k_id);
  result.experiment.incident_category_title = "a | b\nc";
  const auto run = test::TicketRunBuilder().with(result).build();
  const auto body = compose_ticket(run, run.experiments.at(0)).body;
  EXPECT_NE(body.find("| Incident category | a \\| b c (cache-outage) |\n"), std::string::npos) << body;
}

TEST(Ticket, RiskRecordIsMachineReadable) {
  const auto ticket = sample_ticket();
  const auto* risk = attachment(ticket, "risk-cart-survives-redis-pause.json");
  ASSERT_NE(risk, nullptr);
  EXPECT_EQ(risk->media_type, "application/json");
  const auto json = nlohmann::json::parse(risk->content);
  EXPECT_EQ(json.at("experiment"), k_id);
  EXPECT_EQ(json.at("team"), "team-cart");
  EXPECT_EQ(json.at("service"), "cart");
  EXPECT_EQ(json.at("likelihood"), 4);
  EXPECT_EQ(json.at("impact"), 4);
  EXPECT_EQ(json.at("score"), 16);
  EXPECT_EQ(json.at("level"), "high");
  EXPECT_EQ(json.at("attackGroup"), "state");
  EXPECT_EQ(json.at("preparationCost"), "medium");
  EXPECT_EQ(json.at("incidentCategory"), "cache-outage");
  EXPECT_EQ(json.at("incidentCategoryTitle"), "Cache outage");
  EXPECT_EQ(json.at("incidents"), nlohmann::json::array({"INC-1042", "INC-1077"}));
  EXPECT_EQ(json.at("fingerprint"), ticket.fingerprint);
  EXPECT_EQ(json.at("suiteDigest"), "sha256:0f3c9a");
  EXPECT_EQ(json.at("runId"), "run-v1.4.0");
}

TEST(Ticket, EvidenceHasProbeTimelineAndActionLogOfEveryAttempt) {
  auto result = test::ticket_regression(k_id);
  result.attempts.push_back(test::ticket_attempt(2, Verdict::failed, "cart-reads-during-stall", 20000));
  const auto run = test::TicketRunBuilder().with(result).build();
  const auto ticket = compose_ticket(run, run.experiments.at(0));
  const auto* evidence = attachment(ticket, "evidence-cart-survives-redis-pause.md");
  ASSERT_NE(evidence, nullptr);
  const auto& text = evidence->content;
  EXPECT_NE(text.find("## Attempt 1 of 2: failed"), std::string::npos) << text;
  EXPECT_NE(text.find("## Attempt 2 of 2: failed"), std::string::npos) << text;
  // Probes in time order: before (07:12:03.000), during (.04), after (.15).
  const auto before = text.find("| 2026-11-25T07:12:03.000Z | before | cart-health | ok |");
  const auto during = text.find("| 2026-11-25T07:12:04.000Z | during | cart-reads-during-stall | **deviated** | "
                                "success ratio >= 0.95 | success ratio 0.71 (71/100) |");
  const auto after = text.find("| 2026-11-25T07:12:15.000Z | after | cart-health | ok |");
  ASSERT_NE(before, std::string::npos) << text;
  ASSERT_NE(during, std::string::npos) << text;
  ASSERT_NE(after, std::string::npos) << text;
  EXPECT_LT(before, during);
  EXPECT_LT(during, after);
  EXPECT_NE(text.find("| 2026-11-25T07:12:04.500Z | bad | 0 | 2000 ms | HTTP 503 |"), std::string::npos) << text;
  EXPECT_NE(text.find("| 2026-11-25T07:12:03.900Z | action | pause-redis | ok | 2 ms | SIGSTOP -> pid 4242 |"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("| 2026-11-25T07:12:14.000Z | rollback | resume-redis | ok | 1 ms | SIGCONT -> pid 4242 |"),
            std::string::npos)
      << text;
}

TEST(Ticket, AttachmentNamesAreSafeFileNames) {
  auto result = test::ticket_regression("../etc/passwd");
  const auto run = test::TicketRunBuilder().with(result).build();
  const auto ticket = compose_ticket(run, run.experiments.at(0));
  for (const auto& a : ticket.attachments) EXPECT_EQ(a.name.find('/'), std::string::npos) << a.name;
}

TEST(Ticket, SecretsAreRedactedEverywhere) {
  const std::string secret = "tkt-s3cr3t-91827364";
  register_secret(secret);
  auto result = test::ticket_regression(k_id);
  result.experiment.title += " " + secret;
  result.experiment.hypothesis += " token " + secret;
  result.experiment.follow_up.emplace_back("rotate " + secret, "see " + secret);
  result.experiment.incidents.push_back(secret);
  result.observed = "HTTP 401 for " + secret;
  result.reason = "Authorization: Bearer abc.def.ghi";
  result.attempts.at(0).probes.at(0).samples.at(1).observed = "auth " + secret;
  result.attempts.at(0).actions.at(0).detail = "curl -H 'PRIVATE-TOKEN: " + secret + "'";
  const auto run = test::TicketRunBuilder()
                       .with(result)
                       .ci("pipeline_url", "https://ci:" + secret + "@gitlab.example.com/p/1")
                       .build();
  const auto ticket = compose_ticket(run, run.experiments.at(0));
  std::vector<std::string> texts = {ticket.summary, ticket.body, recurrence_comment(run, run.experiments.at(0)),
                                    recovery_comment(run, run.experiments.at(0))};
  for (const auto& label : ticket.labels) texts.push_back(label);
  for (const auto& task : ticket.tasks) texts.push_back(task.title + task.description);
  for (const auto& a : ticket.attachments) texts.push_back(a.content);
  for (const auto& text : texts) {
    EXPECT_EQ(text.find(secret), std::string::npos) << text;
    EXPECT_EQ(text.find("abc.def.ghi"), std::string::npos) << text;
  }
  EXPECT_NE(ticket.body.find("https://***@gitlab.example.com/p/1"), std::string::npos) << ticket.body;
}

TEST(Ticket, RecurrenceCommentNamesReleasePipelineAndObservedValues) {
  const auto run = test::TicketRunBuilder("v1.5.0").failed(k_id).build();
  const auto comment = recurrence_comment(run, run.experiments.at(0));
  EXPECT_NE(comment.find("**Regressed again** in release `v1.5.0` (commit `c0ffeev1.5.0`)"), std::string::npos) << comment;
  EXPECT_NE(comment.find("- **Pipeline:** [https://gitlab.example.com/shop/cart/-/pipelines/v1.5.0]"), std::string::npos)
      << comment;
  EXPECT_NE(comment.find("- **Observed:** success ratio 0.71 (71/100)"), std::string::npos) << comment;
  EXPECT_NE(comment.find("- **Expected:** success ratio >= 0.95"), std::string::npos) << comment;
}

TEST(Ticket, RecoveryCommentSaysItPassedAgain) {
  const auto run = test::TicketRunBuilder("v1.6.0").passed(k_id).flaky("other").build();
  const auto passed = recovery_comment(run, run.experiments.at(0));
  EXPECT_NE(passed.find("**Recovered:** `cart-survives-redis-pause` passed again in release `v1.6.0`"), std::string::npos)
      << passed;
  EXPECT_NE(passed.find("/pipelines/v1.6.0"), std::string::npos) << passed;
  EXPECT_EQ(passed.find("flaky"), std::string::npos) << passed;
  const auto flaky = recovery_comment(run, run.experiments.at(1));
  EXPECT_NE(flaky.find("passed on retry (2 attempts): flaky"), std::string::npos) << flaky;
}

}  // namespace
}  // namespace chaosgate
