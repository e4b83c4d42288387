#include "trackers/jira_tracker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "support/cancel_after.h"
#include "support/find_open_each_check.h"
#include "support/jira_stand_in.h"
#include "support/ticket_runs.h"
#include "trackers/jira_adf.h"
#include "trackers/jira_wiki.h"
#include "util/errors.h"

namespace chaosgate::trackers {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using Flavor = JiraConfig::Flavor;
using Fault = test::JiraStandIn::Fault;

// base64("chaos-bot@example.com:jira-s3cret-T0KEN-value"), the stand-in's default credentials.
constexpr const char* k_cloud_auth = "Basic Y2hhb3MtYm90QGV4YW1wbGUuY29tOmppcmEtczNjcmV0LVQwS0VOLXZhbHVl";
constexpr const char* k_token = "jira-s3cret-T0KEN-value";

Ticket ticket_for(const std::string& id, const std::string& probe = "cart-reads-during-stall") {
  const auto run = test::TicketRunBuilder().failed(id, probe).build();
  return compose_ticket(run, run.experiments.at(0));
}

// Depth-first: every node of an ADF tree for which `match` holds.
std::vector<json> adf_nodes(const json& node, const std::function<bool(const json&)>& match) {
  std::vector<json> found;
  if (match(node)) found.push_back(node);
  if (node.contains("content") && node.at("content").is_array()) {
    for (const auto& child : node.at("content")) {
      auto below = adf_nodes(child, match);
      found.insert(found.end(), below.begin(), below.end());
    }
  }
  return found;
}

std::vector<json> adf_of_type(const json& node, const std::string& type) {
  return adf_nodes(node, [&](const json& n) { return n.value("type", "") == type; });
}

// The concatenated text under a node.
std::string adf_text(const json& node) {
  std::string text;
  for (const auto& t : adf_of_type(node, "text")) text += t.value("text", "");
  return text;
}

json text_node(const std::string& text, json marks = nullptr) {
  json node = {{"type", "text"}, {"text", text}};
  if (!marks.is_null()) node["marks"] = marks;
  return node;
}

// One parameter of a request target, percent-decoded ("+" is a space, as in forms).
std::string query_value(const std::string& target, const std::string& name) {
  auto start = target.find("?" + name + "=");
  if (start == std::string::npos) start = target.find("&" + name + "=");
  if (start == std::string::npos) return "<absent>";
  std::string value;
  for (std::size_t i = start + name.size() + 2; i < target.size() && target[i] != '&'; ++i) {
    if (target[i] == '%' && i + 2 < target.size()) {
      value += static_cast<char>(std::stoi(target.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      value += target[i] == '+' ? ' ' : target[i];
    }
  }
  return value;
}

void expect_no_secret(const std::string& message) {
  EXPECT_EQ(message.find(k_token), std::string::npos) << message;
  EXPECT_EQ(message.find(std::string(k_cloud_auth).substr(6)), std::string::npos) << message;
  EXPECT_EQ(message.find("Authorization"), std::string::npos) << message;
}

// ---- Markdown -> ADF -----------------------------------------------------------

TEST(JiraAdf, DocumentOfHeadingsParagraphsAndRules) {
  const auto doc = markdown_to_adf("# Title\n\nfirst line\nsecond line\n\n---\n## Sub ##\n");
  EXPECT_EQ(doc, json::parse(R"({"type": "doc", "version": 1, "content": [
      {"type": "heading", "attrs": {"level": 1}, "content": [{"type": "text", "text": "Title"}]},
      {"type": "paragraph", "content": [{"type": "text", "text": "first line second line"}]},
      {"type": "rule"},
      {"type": "heading", "attrs": {"level": 2}, "content": [{"type": "text", "text": "Sub"}]}]})"));
  EXPECT_EQ(markdown_to_adf(""), json::parse(R"({"type": "doc", "version": 1, "content": []})"));
}

TEST(JiraAdf, CodeStrongAndLinksBecomeMarks) {
  const auto doc = markdown_to_adf("Run `a|b` is **failed** in [pipeline 7](https://ci.example.com/p/7) ``x ` y`` \\*not bold\\*");
  const json expected = json::array(
      {text_node("Run "), text_node("a|b", json::array({{{"type", "code"}}})), text_node(" is "),
       text_node("failed", json::array({{{"type", "strong"}}})), text_node(" in "),
       text_node("pipeline 7", json::array({{{"type", "link"}, {"attrs", {{"href", "https://ci.example.com/p/7"}}}}})),
       text_node(" "), text_node("x ` y", json::array({{{"type", "code"}}})), text_node(" *not bold*")});
  EXPECT_EQ(doc.at("content").at(0).at("content"), expected) << doc.dump(2);
}

TEST(JiraAdf, CodeInsideStrongDropsStrongAsAdfRequires) {
  const auto doc = markdown_to_adf("**Probe `p`**");
  const json expected = json::array({text_node("Probe ", json::array({{{"type", "strong"}}})),
                                     text_node("p", json::array({{{"type", "code"}}}))});
  EXPECT_EQ(doc.at("content").at(0).at("content"), expected) << doc.dump(2);
}

TEST(JiraAdf, UnclosedMarkersStayText) {
  const auto doc = markdown_to_adf("a ** b ` c [d](no close");
  EXPECT_EQ(doc.at("content").at(0).at("content"), json::array({text_node("a ** b ` c [d](no close")}));
}

TEST(JiraAdf, ListsAndChecklists) {
  const auto doc = markdown_to_adf("- one\n- [ ] todo\n  continued\n- [x] done\n\n3. third\n4. fourth\n");
  ASSERT_EQ(doc.at("content").size(), 2u) << doc.dump(2);
  const auto& bullets = doc.at("content").at(0);
  EXPECT_EQ(bullets.at("type"), "bulletList");
  ASSERT_EQ(bullets.at("content").size(), 3u);
  EXPECT_EQ(bullets.at("content").at(0), json::parse(R"({"type": "listItem", "content": [
      {"type": "paragraph", "content": [{"type": "text", "text": "one"}]}]})"));
  EXPECT_EQ(adf_text(bullets.at("content").at(1)), "\u2610 todo continued");
  EXPECT_EQ(adf_text(bullets.at("content").at(2)), "\u2611 done");
  const auto& ordered = doc.at("content").at(1);
  EXPECT_EQ(ordered.at("type"), "orderedList");
  EXPECT_EQ(ordered.at("attrs").at("order"), 3);
  EXPECT_EQ(ordered.at("content").size(), 2u);
}

TEST(JiraAdf, PipeTablesBecomeAdfTables) {
  const auto doc = markdown_to_adf("| Risk | Value |\n|---|:--:|\n| Level | **high** |\n| a \\| b |\n");
  ASSERT_EQ(doc.at("content").size(), 1u);
  const auto& table = doc.at("content").at(0);
  EXPECT_EQ(table.at("type"), "table");
  ASSERT_EQ(table.at("content").size(), 3u);
  const auto cell = [&](std::size_t row, std::size_t column) { return table.at("content").at(row).at("content").at(column); };
  EXPECT_EQ(cell(0, 0).at("type"), "tableHeader");
  EXPECT_EQ(cell(0, 0).at("content"), json::parse(R"([{"type": "paragraph", "content": [{"type": "text", "text": "Risk"}]}])"));
  EXPECT_EQ(cell(1, 1).at("type"), "tableCell");
  EXPECT_EQ(cell(1, 1).at("content").at(0).at("content"), json::array({text_node("high", json::array({{{"type", "strong"}}}))}));
  // A short row is padded, and an escaped pipe stays in its cell.
  EXPECT_EQ(adf_text(cell(2, 0)), "a | b");
  EXPECT_EQ(cell(2, 1).at("content").at(0).at("content"), json::array());
}

TEST(JiraAdf, FencedCodeBlocksKeepTheirLines) {
  const auto doc = markdown_to_adf("```json\n{\"a\": 1}\n  **x**\n```\nafter");
  EXPECT_EQ(doc.at("content").at(0), json::parse(R"({"type": "codeBlock", "attrs": {"language": "json"},
      "content": [{"type": "text", "text": "{\"a\": 1}\n  **x**"}]})"));
  EXPECT_EQ(adf_text(doc.at("content").at(1)), "after");
}

TEST(JiraAdf, TicketBodyConvertsToWellFormedNodes) {
  const auto ticket = ticket_for("cart-survives-redis-pause");
  const auto doc = markdown_to_adf(ticket.body);
  EXPECT_TRUE(adf_nodes(doc, [](const json& n) { return n.value("type", "") == "text" && n.value("text", "").empty(); }).empty());
  std::vector<std::string> headings;
  for (const auto& h : adf_of_type(doc, "heading")) headings.push_back(adf_text(h));
  EXPECT_EQ(headings, (std::vector<std::string>{"Hypothesis", "What deviated", "Release", "Follow-up tasks",
                                                "Incident category", "Risk assessment", "Attachments"}));
  const auto tables = adf_of_type(doc, "table");
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0].at("content").size(), 8u);  // header and seven risk rows
  const auto links = adf_nodes(doc, [](const json& n) { return n.contains("marks") && n.at("marks").dump().find("\"link\"") != std::string::npos; });
  ASSERT_FALSE(links.empty());
  EXPECT_EQ(links[0].at("marks").at(0).at("attrs").at("href"), "https://gitlab.example.com/shop/cart/-/pipelines/v1.4.0");
  EXPECT_EQ(adf_of_type(doc, "rule").size(), 1u);
  EXPECT_NE(adf_text(doc).find("\u2610 Add a circuit breaker around Redis reads: fall back to the local cache"), std::string::npos);
  EXPECT_EQ(adf_text(doc).find("**"), std::string::npos);
  EXPECT_EQ(adf_text(doc).find('`'), std::string::npos);
}

// ---- Markdown -> wiki markup ----------------------------------------------------

TEST(JiraWiki, RendersBlocksAndMarks) {
  EXPECT_EQ(markdown_to_wiki("## Risk\n\n| Risk | Value |\n|---|---|\n| Level | **high** |\n\n- [ ] add `retry`\n- "
                             "see [job](https://ci.example.com/j?a=1|2)\n\n---\nend"),
            "h2. Risk\n\n||Risk||Value||\n|Level|*high*|\n\n* \u2610 add {{retry}}\n* see "
            "[job|https://ci.example.com/j?a=1%7C2]\n\n----\n\nend");
  EXPECT_EQ(markdown_to_wiki("```\nx {noformat} y\n```"), "{noformat}\nx { noformat} y\n{noformat}");
}

TEST(JiraWiki, EscapesWhatWikiMarkupWouldFormat) {
  EXPECT_EQ(markdown_to_wiki("a [b] {c} |d| !e! -f- *g* (x) ??h?? 2026-11-25 cart-reads_during"),
            "a \\[b\\] \\{c\\} \\|d\\| \\!e\\! \\-f\\- \\*g\\* \\(x) \\?\\?h\\?\\? 2026-11-25 cart-reads_during");
  EXPECT_EQ(markdown_to_wiki("# heading\n\n\\# not a list"), "h1. heading\n\n\\# not a list");
}

// ---- the tracker against the stand-in --------------------------------------------

class JiraTrackerTest : public ::testing::Test {
protected:
  JiraConfig config(Flavor flavor = Flavor::cloud) const {
    JiraConfig c;
    c.flavor = flavor;
    c.base_url = m_jira.url() + "/";  // a trailing slash is tolerated
    c.email = m_jira.options().email;
    c.token = m_jira.options().token;
    const std::string assignee = flavor == Flavor::cloud ? "5b10ac8d82e05b22cc7d4ef5" : "jdoe";
    c.routes["team-cart"] = JiraRoute{"CART", "cart-api", "Bug", assignee};
    c.routes["team-search"] = JiraRoute{"SHOP", "", "Task", ""};
    c.retry = {3, milliseconds(100), milliseconds(1000), milliseconds(20000)};
    c.timeout = milliseconds(3000);
    return c;
  }

  std::unique_ptr<Tracker> tracker(const JiraConfig& c) {
    return make_jira_tracker(c, m_client, [this](milliseconds wait) { m_waits.push_back(wait); });
  }
  std::unique_ptr<Tracker> tracker(Flavor flavor = Flavor::cloud) { return tracker(config(flavor)); }

  std::vector<test::RecordedRequest> requests(const std::string& method, const std::string& path_part) const {
    std::vector<test::RecordedRequest> found;
    for (const auto& r : m_jira.requests())
      if (r.method == method && r.path.find(path_part) != std::string::npos) found.push_back(r);
    return found;
  }

  test::JiraStandIn m_jira;
  std::shared_ptr<http::HttpClient> m_client = http::make_curl_client();
  std::vector<milliseconds> m_waits;
};

TEST_F(JiraTrackerTest, CloudCreateFilesOneIssueWithItsFieldsAndBothAttachments) {
  const auto ticket = ticket_for("cart-survives-redis-pause");
  const auto ref = tracker()->create(ticket);
  EXPECT_EQ(ref.key, "CART-1");
  EXPECT_EQ(ref.url, m_jira.url() + "/browse/CART-1");

  const auto creates = requests("POST", "/rest/api/3/issue");
  ASSERT_EQ(creates.size(), 3u);  // the issue, then its two files
  const auto& create = creates[0];
  EXPECT_EQ(create.path, "/rest/api/3/issue");
  EXPECT_EQ(create.header("Authorization"), k_cloud_auth);
  EXPECT_EQ(create.header("Content-Type"), "application/json");
  EXPECT_EQ(create.header("Accept"), "application/json");
  const auto fields = json::parse(create.body).at("fields");
  EXPECT_EQ(fields.at("project"), json({{"key", "CART"}}));
  EXPECT_EQ(fields.at("summary"), "[chaos regression] Cart survives a Redis pause (cart)");
  EXPECT_EQ(fields.at("issuetype"), json({{"name", "Bug"}}));
  EXPECT_EQ(fields.at("labels"), json(ticket.labels));
  EXPECT_EQ(fields.at("labels").at(2), ticket.fingerprint);
  EXPECT_EQ(fields.at("priority"), json({{"name", "High"}}));
  EXPECT_EQ(fields.at("components"), json::parse(R"([{"name": "cart-api"}])"));
  EXPECT_EQ(fields.at("assignee"), json({{"accountId", "5b10ac8d82e05b22cc7d4ef5"}}));
  EXPECT_FALSE(fields.contains("parent"));
  const auto& description = fields.at("description");
  EXPECT_EQ(description.at("type"), "doc");
  EXPECT_EQ(description.at("version"), 1);
  EXPECT_EQ(description.at("content").at(0).at("type"), "paragraph");
  EXPECT_EQ(description.at("content").at(0).at("content").at(1),
            text_node("cart-survives-redis-pause", json::array({{{"type", "code"}}})));
  EXPECT_EQ(description.at("content").at(1), json::parse(R"({"type": "heading", "attrs": {"level": 2},
      "content": [{"type": "text", "text": "Hypothesis"}]})"));

  for (std::size_t i = 1; i < 3; ++i) {
    EXPECT_EQ(creates[i].path, "/rest/api/3/issue/CART-1/attachments");
    EXPECT_EQ(creates[i].header("X-Atlassian-Token"), "no-check");
    EXPECT_EQ(creates[i].header("Authorization"), k_cloud_auth);
    EXPECT_EQ(creates[i].header("Content-Type").value_or("").rfind("multipart/form-data; boundary=", 0), 0u);
  }
  const auto issue = m_jira.issue("CART-1");
  ASSERT_TRUE(issue);
  ASSERT_EQ(issue->attachments.size(), 2u);
  EXPECT_EQ(issue->attachments[0].field, "file");
  EXPECT_EQ(issue->attachments[0].filename, "risk-cart-survives-redis-pause.json");
  EXPECT_EQ(issue->attachments[0].content_type, "application/json");
  EXPECT_EQ(issue->attachments[0].content, ticket.attachments.at(0).content);
  EXPECT_EQ(issue->attachments[1].field, "file");
  EXPECT_EQ(issue->attachments[1].filename, "evidence-cart-survives-redis-pause.md");
  EXPECT_EQ(issue->attachments[1].content_type, "text/markdown");
  EXPECT_EQ(issue->attachments[1].content, ticket.attachments.at(1).content);
  EXPECT_EQ(m_jira.issues().size(), 1u);
}

TEST_F(JiraTrackerTest, DataCenterCreateUsesApiV2BearerTokenAndWikiMarkup) {
  const auto ticket = ticket_for("cart-survives-redis-pause");
  const auto ref = tracker(Flavor::data_center)->create(ticket);
  EXPECT_EQ(ref.key, "CART-1");
  const auto creates = requests("POST", "/rest/api/2/issue");
  ASSERT_EQ(creates.size(), 3u);
  EXPECT_EQ(creates[0].path, "/rest/api/2/issue");
  for (const auto& r : creates) EXPECT_EQ(r.header("Authorization"), std::string("Bearer ") + k_token);
  const auto fields = json::parse(creates[0].body).at("fields");
  EXPECT_EQ(fields.at("assignee"), json({{"name", "jdoe"}}));
  ASSERT_TRUE(fields.at("description").is_string());
  const auto wiki = fields.at("description").get<std::string>();
  EXPECT_EQ(wiki.rfind("Experiment {{cart-survives-redis-pause}} of suite {{shop green suite}}", 0), 0u) << wiki;
  EXPECT_NE(wiki.find("\n\nh2. Hypothesis\n\n"), std::string::npos) << wiki;
  EXPECT_NE(wiki.find("||Risk||Value||\n|Likelihood|4 / 5|"), std::string::npos) << wiki;
  EXPECT_NE(wiki.find("* \u2610 Add a circuit breaker around Redis reads: fall back to the local cache"), std::string::npos) << wiki;
  EXPECT_NE(wiki.find("[https://gitlab.example.com/shop/cart/\\-/pipelines/v1.4.0|https://gitlab.example.com/shop/cart/-/pipelines/v1.4.0]"),
            std::string::npos)
      << wiki;
  EXPECT_EQ(m_jira.issue("CART-1")->attachments.size(), 2u);
  EXPECT_TRUE(requests("POST", "/rest/api/3/").empty());
}

TEST_F(JiraTrackerTest, FindOpenFindsTheIssueByFingerprintAndByExperimentLabel) {
  const auto ticket = ticket_for("cart-survives-redis-pause");
  auto jira = tracker();
  const auto ref = jira->create(ticket);
  const auto by_fingerprint = jira->find_open("team-cart", ticket.fingerprint);
  ASSERT_EQ(by_fingerprint.size(), 1u);
  EXPECT_EQ(by_fingerprint[0].key, ref.key);
  EXPECT_EQ(by_fingerprint[0].url, ref.url);
  ASSERT_EQ(jira->find_open("team-cart", ticket.experiment_label).size(), 1u);
  EXPECT_TRUE(jira->find_open("team-cart", "cg-0000000000000000").empty());
  EXPECT_TRUE(jira->find_open("team-search", ticket.fingerprint).empty());  // another project

  const auto searches = requests("GET", "/rest/api/3/search/jql");
  ASSERT_EQ(searches.size(), 4u);
  const auto& first = searches[0];
  EXPECT_EQ(first.header("Authorization"), k_cloud_auth);
  EXPECT_NE(first.target.find("fields=summary,status"), std::string::npos) << first.target;
  // The stand-in only answers the exact query; check it here too, readably.
  EXPECT_EQ(query_value(first.target, "jql"),
            "project = \"CART\" AND labels = \"" + ticket.fingerprint + "\" AND statusCategory != Done ORDER BY created ASC");
}

TEST_F(JiraTrackerTest, FindOpenFollowsCloudPageTokensOldestFirst) {
  test::JiraStandIn::Options options;
  options.page_size = 1;
  test::JiraStandIn small_pages(options);
  auto c = config();
  c.base_url = small_pages.url();
  auto jira = tracker(c);
  // Two probes of one experiment: two tickets, one experiment label.
  const auto first = jira->create(ticket_for("cart-survives-redis-pause", "probe-a"));
  const auto second = jira->create(ticket_for("cart-survives-redis-pause", "probe-b"));
  const auto found = jira->find_open("team-cart", ticket_for("cart-survives-redis-pause").experiment_label);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].key, first.key);
  EXPECT_EQ(found[1].key, second.key);
  const auto requests = small_pages.requests();
  EXPECT_EQ(std::count_if(requests.begin(), requests.end(),
                          [](const auto& r) { return r.target.find("nextPageToken=page-1") != std::string::npos; }),
            1);
}

TEST_F(JiraTrackerTest, FindOpenFollowsDataCenterStartAt) {
  test::JiraStandIn::Options options;
  options.page_size = 1;
  test::JiraStandIn small_pages(options);
  auto c = config(Flavor::data_center);
  c.base_url = small_pages.url();
  auto jira = tracker(c);
  jira->create(ticket_for("cart-survives-redis-pause", "probe-a"));
  jira->create(ticket_for("cart-survives-redis-pause", "probe-b"));
  jira->create(ticket_for("cart-survives-redis-pause", "probe-c"));
  const auto found = jira->find_open("team-cart", ticket_for("cart-survives-redis-pause").experiment_label);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[2].key, "CART-3");
  std::vector<std::string> targets;
  for (const auto& r : small_pages.requests())
    if (r.path == "/rest/api/2/search") targets.push_back(r.target);
  ASSERT_EQ(targets.size(), 3u);
  EXPECT_NE(targets[0].find("startAt=0"), std::string::npos);
  EXPECT_NE(targets[2].find("startAt=2"), std::string::npos);
}

// 120 labels, 7 of them carried by tickets (two tickets on one), in pages of
// two issues: what find_open_each answers is what find_open answers label by
// label, in three `labels in` searches of at most 50 labels.
void expect_find_open_each_matches_find_open(Flavor flavor, const std::string& search_path, JiraConfig c) {
  test::JiraStandIn::Options options;
  options.page_size = 2;
  test::JiraStandIn jira_server(options);
  c.flavor = flavor;
  c.base_url = jira_server.url();
  auto jira = make_jira_tracker(c, http::make_curl_client(), [](milliseconds) {});
  auto labels = test::file_tickets(*jira, 7, 3);
  const auto resolved = jira->create(ticket_for("cart-recovered"));
  jira->resolve(resolved, "recovered");
  labels.push_back(ticket_for("cart-recovered").experiment_label);
  test::pad_with_unticketed(labels, 120);
  const auto searches_before = jira_server.requests().size();
  const auto found = jira->find_open_each("team-cart", labels);
  std::size_t searches = 0;
  std::set<std::string> queries;
  const auto all = jira_server.requests();
  for (std::size_t i = searches_before; i < all.size(); ++i) {
    if (all[i].path != search_path) continue;
    ++searches;
    const std::string jql = query_value(all[i].target, "jql");
    EXPECT_NE(jql.find("AND labels in (\""), std::string::npos) << jql;
    EXPECT_NE(all[i].target.find("fields=summary,status,labels"), std::string::npos) << all[i].target;
    queries.insert(jql);
  }
  EXPECT_EQ(queries.size(), 3u);  // 50, 50 and 20 labels
  EXPECT_LE(searches, 3u + 8u / 2u);  // and the 8 open issues' pages of two
  // Seven experiments, one with two tickets; the recovered one is not open.
  EXPECT_EQ(test::expect_same_as_find_open(*jira, "team-cart", labels, found), 8u);
  EXPECT_EQ(found.at(labels[3]).size(), 2u);
  EXPECT_FALSE(found.contains(labels[7]));  // resolved: left out
}

TEST_F(JiraTrackerTest, FindOpenEachAsksFiftyLabelsPerSearchOnCloud) {
  expect_find_open_each_matches_find_open(Flavor::cloud, "/rest/api/3/search/jql", config(Flavor::cloud));
}

TEST_F(JiraTrackerTest, FindOpenEachAsksFiftyLabelsPerSearchOnDataCenter) {
  expect_find_open_each_matches_find_open(Flavor::data_center, "/rest/api/2/search", config(Flavor::data_center));
}

TEST_F(JiraTrackerTest, CommentIsAdfOnCloudAndWikiMarkupOnDataCenter) {
  const auto ref = tracker()->create(ticket_for("a"));
  tracker()->comment(ref, "**Regressed again** in release `v1.5.0`");
  tracker(Flavor::data_center)->comment(ref, "**Regressed again** in release `v1.5.0`");
  const auto issue = m_jira.issue(ref.key);
  ASSERT_EQ(issue->comments.size(), 2u);
  EXPECT_EQ(issue->comments[0], json::parse(R"({"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [
      {"type": "text", "text": "Regressed again", "marks": [{"type": "strong"}]}, {"type": "text", "text": " in release "},
      {"type": "text", "text": "v1.5.0", "marks": [{"type": "code"}]}]}]})"));
  EXPECT_EQ(issue->comments[1], "*Regressed again* in release {{v1.5.0}}");
  EXPECT_EQ(requests("POST", "/rest/api/3/issue/CART-1/comment").size(), 1u);
  EXPECT_EQ(requests("POST", "/rest/api/2/issue/CART-1/comment").size(), 1u);
}

TEST_F(JiraTrackerTest, ResolveWithoutTransitionRelabelsSoFindOpenNoLongerFindsIt) {
  const auto ticket = ticket_for("cart-survives-redis-pause");
  auto jira = tracker();
  const auto ref = jira->create(ticket);
  jira->resolve(ref, "**Recovered:** passed again");
  EXPECT_TRUE(jira->find_open("team-cart", ticket.fingerprint).empty());
  EXPECT_TRUE(jira->find_open("team-cart", ticket.experiment_label).empty());

  const auto edits = requests("PUT", "/rest/api/3/issue/CART-1");
  ASSERT_EQ(edits.size(), 1u);
  EXPECT_EQ(json::parse(edits[0].body), json({{"update",
                                               {{"labels", json::array({{{"remove", ticket.fingerprint}},
                                                                        {{"remove", ticket.experiment_label}},
                                                                        {{"add", "chaos-recovered"}}})}}}}));
  const auto issue = m_jira.issue(ref.key);
  EXPECT_EQ(issue->labels(), (std::vector<std::string>{"chaosgate", "chaos-regression", "risk:high", "attack:state",
                                                       "chaos-recovered"}));
  ASSERT_EQ(issue->comments.size(), 1u);
  EXPECT_EQ(adf_text(issue->comments[0]), "Recovered: passed again");
  EXPECT_EQ(issue->status, "To Do");
}

TEST_F(JiraTrackerTest, ResolveWithTransitionMovesTheIssueToDone) {
  const auto ticket = ticket_for("a");
  auto c = config(Flavor::data_center);
  c.recovery_transition = "done";  // names match case-insensitively, as in Jira's UI
  auto jira = tracker(c);
  const auto ref = jira->create(ticket);
  jira->resolve(ref, "recovered");
  const auto issue = m_jira.issue(ref.key);
  EXPECT_EQ(issue->status_category, "done");
  EXPECT_EQ(issue->comments, std::vector<json>{"recovered"});
  EXPECT_EQ(issue->labels(), ticket.labels);  // untouched: the status takes it out of the search
  const auto posts = requests("POST", "/rest/api/2/issue/CART-1/transitions");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(json::parse(posts[0].body), json::parse(R"({"transition": {"id": "31"}})"));
  EXPECT_TRUE(jira->find_open("team-cart", ticket.fingerprint).empty());
  EXPECT_TRUE(requests("PUT", "/issue/").empty());
}

TEST_F(JiraTrackerTest, MissingTransitionIsAnErrorNamingTheOnesOffered) {
  auto c = config();
  c.recovery_transition = "Close Issue";
  auto jira = tracker(c);
  const auto ref = jira->create(ticket_for("a"));
  try {
    jira->resolve(ref, "recovered");
    ADD_FAILURE() << "no error";
  } catch (const TrackerUnavailable& e) {
    ADD_FAILURE() << "unavailable: " << e.what();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "jira: CART-1 offers no transition \"Close Issue\" (it offers \"To Do\", \"In Progress\", \"Done\"): check the "
              "recovery transition's name in the project's workflow");
  }
  EXPECT_EQ(m_jira.issue("CART-1")->status, "To Do");
}

TEST_F(JiraTrackerTest, SubTasksAreFiledUnderTheIssueWithoutTheSearchLabels) {
  auto c = config();
  c.sub_tasks = true;
  auto jira = tracker(c);
  const auto ticket = ticket_for("cart-survives-redis-pause");
  const auto ref = jira->create(ticket);
  const auto issues = m_jira.issues();
  ASSERT_EQ(issues.size(), 3u);
  for (std::size_t i = 1; i < 3; ++i) {
    EXPECT_EQ(issues[i].fields.at("parent"), json({{"key", ref.key}}));
    EXPECT_EQ(issues[i].fields.at("issuetype"), json({{"name", "Sub-task"}}));
    EXPECT_EQ(issues[i].labels(), std::vector<std::string>{"chaosgate"});
  }
  EXPECT_EQ(issues[1].fields.at("summary"), "Add a circuit breaker around Redis reads");
  EXPECT_EQ(adf_text(issues[1].fields.at("description")), "fall back to the local cache");
  EXPECT_FALSE(issues[2].fields.contains("description"));  // the task has none
  const auto found = jira->find_open("team-cart", ticket.experiment_label);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].key, ref.key);
}

TEST_F(JiraTrackerTest, TooManyRequestsWaitsAsLongAsRetryAfterSays) {
  m_jira.fail_next(Fault::too_many_requests, 1, "7");
  const auto ref = tracker()->create(ticket_for("a"));
  EXPECT_EQ(ref.key, "CART-1");
  EXPECT_EQ(m_waits, std::vector<milliseconds>{milliseconds(7000)});
  EXPECT_EQ(requests("POST", "/rest/api/3/issue").size(), 4u);  // 429, create, two files
  EXPECT_EQ(m_jira.issues().size(), 1u);
}

TEST_F(JiraTrackerTest, UnavailableAfterEveryRetryIsTrackerUnavailable) {
  m_jira.fail_next(Fault::unavailable, 3);
  try {
    tracker()->create(ticket_for("a"));
    ADD_FAILURE() << "no error";
  } catch (const TrackerUnavailable& e) {
    EXPECT_EQ(std::string(e.what()),
              "jira: POST /rest/api/3/issue: HTTP 503 Service Unavailable: Jira is temporarily unavailable. (gave up retrying)");
    expect_no_secret(e.what());
  }
  EXPECT_EQ(requests("POST", "/rest/api/3/issue").size(), 3u);
  EXPECT_EQ(m_waits.size(), 2u);
  EXPECT_TRUE(m_jira.issues().empty());
}

TEST_F(JiraTrackerTest, ClosedConnectionIsRetried) {
  m_jira.fail_next(Fault::close, 1);
  auto jira = tracker();
  EXPECT_TRUE(jira->find_open("team-cart", "cg-0000000000000000").empty());
  EXPECT_EQ(requests("GET", "/search/jql").size(), 2u);
  EXPECT_EQ(m_waits.size(), 1u);
}

TEST_F(JiraTrackerTest, HangingServerTimesOutAndIsTrackerUnavailable) {
  m_jira.fail_next(Fault::hang, 2);
  auto c = config();
  c.timeout = milliseconds(300);
  c.retry.max_attempts = 2;
  auto jira = tracker(c);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_THROW(jira->find_open("team-cart", "cg-0000000000000000"), TrackerUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  EXPECT_EQ(m_waits.size(), 1u);
}

// The gate interrupted while it files tickets (config.stop): a hung request
// and a Retry-After wait both end at once as TrackerUnavailable (queued).
TEST_F(JiraTrackerTest, ASignalCutsARequestInFlightAndEndsTheRetryWaits) {
  const auto interrupted_during = [&](const char* what) {
    Cancellation signal;
    auto c = config();
    c.stop = &signal;
    c.timeout = milliseconds(20000);
    const auto really_waiting = make_jira_tracker(c, m_client);
    const auto started = std::chrono::steady_clock::now();
    {
      test::CancelAfter cancel(signal, milliseconds(200), "interrupted by SIGTERM");
      EXPECT_THROW(really_waiting->find_open("team-cart", "cg-0000000000000000"), TrackerUnavailable) << what;
    }
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3)) << what << " was waited out";
  };
  m_jira.fail_next(Fault::hang, 1);
  interrupted_during("a hung request");
  // 10 s: within the config's 20 s of waits, so it would really be waited for.
  m_jira.fail_next(Fault::too_many_requests, 3, "10");
  interrupted_during("Retry-After: 10");
}

TEST_F(JiraTrackerTest, BadRequestIsARuntimeErrorWithJirasMessages) {
  auto c = config();
  c.routes["team-cart"].project = "NOPE";
  try {
    tracker(c)->create(ticket_for("a"));
    ADD_FAILURE() << "no error";
  } catch (const TrackerUnavailable& e) {
    ADD_FAILURE() << "unavailable: " << e.what();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "jira: POST /rest/api/3/issue: HTTP 400 Bad Request: project: valid project is required");
    expect_no_secret(e.what());
  }
  EXPECT_TRUE(m_waits.empty());  // a 400 is not retried
  try {
    tracker()->comment({"CART-99", ""}, "hello");
    ADD_FAILURE() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "jira: POST /rest/api/3/issue/CART-99/comment: HTTP 404 Not Found: Issue does not "
                                     "exist or you do not have permission to see it.");
  }
}

TEST_F(JiraTrackerTest, WrongTokenIsUnauthorizedAndNoMessageCarriesTheToken) {
  for (const auto flavor : {Flavor::cloud, Flavor::data_center}) {
    auto c = config(flavor);
    c.token = "wrong-" + c.token;  // contains the real one too
    try {
      tracker(c)->find_open("team-cart", "cg-0000000000000000");
      ADD_FAILURE() << "no error";
    } catch (const TrackerUnavailable& e) {
      ADD_FAILURE() << "unavailable: " << e.what();
    } catch (const std::runtime_error& e) {
      const std::string api = flavor == Flavor::cloud ? "/rest/api/3/search/jql" : "/rest/api/2/search";
      EXPECT_EQ(std::string(e.what()), "jira: GET " + api + ": HTTP 401 Unauthorized: You are not authenticated. "
                                       "Authentication required to perform this operation.");
      expect_no_secret(e.what());
    }
  }
}

// Uploads are refused (the connection); everything else goes through.
class FailingUploads final : public http::HttpClient {
public:
  explicit FailingUploads(std::shared_ptr<http::HttpClient> inner) : m_inner(std::move(inner)) {}
  http::Result send(const http::Request& request) override {
    if (request.url.find("/attachments") != std::string::npos) return http::Failure{http::FailureKind::connect, "refused"};
    return m_inner->send(request);
  }

private:
  std::shared_ptr<http::HttpClient> m_inner;
};

TEST_F(JiraTrackerTest, AttachmentFailureNamesTheCreatedIssue) {
  auto jira = tracker();
  const auto ticket = ticket_for("a");
  auto failing = std::make_shared<FailingUploads>(m_client);
  auto c = config();
  c.retry.max_attempts = 1;
  try {
    make_jira_tracker(c, failing)->create(ticket);
    ADD_FAILURE() << "no error";
  } catch (const TrackerUnavailable& e) {
    ADD_FAILURE() << "a created issue must not be queued again: " << e.what();
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.rfind("jira: created CART-1 (" + m_jira.url() + "/browse/CART-1) but attaching risk-a.json failed: ", 0), 0u)
        << message;
    EXPECT_NE(message.find("attaching evidence-a.md failed"), std::string::npos) << message;
  }
  EXPECT_EQ(jira->find_open("team-cart", ticket.fingerprint).size(), 1u);
}

TEST_F(JiraTrackerTest, UnknownTeamNamesTheTeamAndTheCatalogKey) {
  auto ticket = ticket_for("a");
  ticket.team = "team-payments";
  try {
    tracker()->create(ticket);
    ADD_FAILURE() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "jira: team \"team-payments\" has no Jira project: give it `jira: {project: KEY}` in the suite catalog");
  }
  EXPECT_THROW(tracker()->find_open("team-payments", "x"), std::runtime_error);
  EXPECT_TRUE(m_jira.requests().empty());
}

TEST_F(JiraTrackerTest, FactoryRefusesConfigurationThatCannotWork) {
  auto no_url = config();
  no_url.base_url = "acme.atlassian.net";
  EXPECT_THROW(make_jira_tracker(no_url, m_client), UserError);
  auto no_token = config(Flavor::data_center);
  no_token.token.clear();
  EXPECT_THROW(make_jira_tracker(no_token, m_client), UserError);
  auto no_email = config();
  no_email.email.clear();
  EXPECT_THROW(make_jira_tracker(no_email, m_client), UserError);
  no_email.flavor = Flavor::data_center;  // a PAT needs no email
  EXPECT_EQ(make_jira_tracker(no_email, m_client)->name(), "jira");
}

// ---- contract: every request kind against Prism serving Atlassian's OpenAPI -------
// Runs when tests/e2e/jira_contract.sh has started validators/mock-jira and set
// CHAOSGATE_JIRA_MOCK_URL; skipped in the plain unit run (the script fails on a skip).

// Passes requests through and keeps each with its answer.
class RecordingClient final : public http::HttpClient {
public:
  explicit RecordingClient(std::shared_ptr<http::HttpClient> inner) : m_inner(std::move(inner)) {}
  http::Result send(const http::Request& request) override {
    auto result = m_inner->send(request);
    exchanges.emplace_back(request, result);
    return result;
  }
  std::vector<std::pair<http::Request, http::Result>> exchanges;

private:
  std::shared_ptr<http::HttpClient> m_inner;
};

TEST(JiraContract, EveryRequestKindIsValidAgainstTheAtlassianSpec) {
  const char* mock = std::getenv("CHAOSGATE_JIRA_MOCK_URL");
  if (mock == nullptr || *mock == '\0') GTEST_SKIP() << "CHAOSGATE_JIRA_MOCK_URL is not set (tests/e2e/jira_contract.sh sets it)";
  std::size_t checked = 0;
  for (const auto flavor : {Flavor::cloud, Flavor::data_center}) {
    auto recorder = std::make_shared<RecordingClient>(http::make_curl_client());
    JiraConfig c;
    c.flavor = flavor;
    c.base_url = mock;
    c.email = "bot@example.com";
    c.token = "contract-token";
    c.routes["team-cart"] = JiraRoute{"CART", "cart-api", "Bug", flavor == Flavor::cloud ? "5b10ac8d82e05b22cc7d4ef5" : "jdoe"};
    c.sub_tasks = true;
    c.retry.max_attempts = 1;
    auto jira = make_jira_tracker(c, recorder);
    const auto ticket = ticket_for("cart-survives-redis-pause");

    const auto found = jira->find_open("team-cart", ticket.fingerprint);  // search
    EXPECT_FALSE(found.empty());  // Atlassian's example answer holds ED-1
    // search with `labels in (...)` and the labels field: a run's passing experiments at once
    const std::vector<std::string> labels = {ticket.fingerprint, ticket.experiment_label};
    for (const auto& [label, open] : jira->find_open_each("team-cart", labels))
      EXPECT_TRUE(label == labels[0] || label == labels[1]) << label;
    const auto ref = jira->create(ticket);  // issue, attachments, sub-tasks
    EXPECT_EQ(ref.key, "ED-24");            // the example answer
    const auto again = test::TicketRunBuilder("v1.5.0").failed("cart-survives-redis-pause").build();
    jira->comment(ref, recurrence_comment(again, again.experiments.at(0)));
    jira->resolve(ref, "**Recovered** in `v1.6.0`");  // comment, GET issue, PUT issue (relabel)
    c.recovery_transition = "Close Issue";             // a transition in the example answer
    make_jira_tracker(c, recorder)->resolve(ref, "recovered");  // comment, GET + POST transitions

    std::set<std::string> kinds;
    for (const auto& [request, result] : recorder->exchanges) {
      const std::string what = request.method + " " + request.url.substr(std::string(mock).size());
      ++checked;
      const auto* response = std::get_if<http::Response>(&result);
      ASSERT_NE(response, nullptr) << what << ": " << std::get<http::Failure>(result).message;
      const auto violations = response->header("sl-violations");
      EXPECT_FALSE(violations.has_value()) << what << ": " << violations.value_or("");
      EXPECT_NE(response->status, 422) << what;
      EXPECT_TRUE(response->status >= 200 && response->status < 300) << what << ": HTTP " << response->status << " "
                                                                       << response->body.substr(0, 500);
      std::string path = request.url.substr(std::string(mock).size());
      path = path.substr(0, path.find('?'));
      if (const auto key = path.find(ref.key); key != std::string::npos) path.replace(key, ref.key.size(), "{key}");
      kinds.insert(request.method + " " + path);
    }
    EXPECT_EQ(kinds.size(), 8u) << "search, create, attachments, comment, GET issue, PUT issue, GET + POST transitions";
  }
  std::cout << "jira contract: " << checked << " requests checked against the mock\n";
}

}  // namespace
}  // namespace chaosgate::trackers
