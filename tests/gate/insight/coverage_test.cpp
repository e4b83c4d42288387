#include "insight/coverage.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace chaosgate::insight {

namespace {

Experiment experiment(const std::string& id, const std::string& service, const std::string& category,
                      AttackGroup group, LifecycleStatus status = LifecycleStatus::promoted) {
  Experiment e;
  e.id = id;
  e.service = service;
  e.incident_category = category;
  e.attack_group = group;
  e.status = status;
  return e;
}

Suite suite() {
  Suite s;
  s.name = "shop";
  s.catalog.services = {Service{"cart", "team", {}, {}, {}, {}}, Service{"storefront", "team", {}, {}, {}, {}}};
  s.catalog.incident_categories = {IncidentCategory{"dependency-outage", "Dependency down", {"INC-1"}, {}},
                                   IncidentCategory{"instance-loss", "Instance dies", {}, {}},
                                   IncidentCategory{"bad-config", "Bad config", {"INC-9"}, {}}};
  s.experiments = {
      experiment("redis-pause", "cart", "dependency-outage", AttackGroup::dependency),
      experiment("redis-restart", "cart", "dependency-outage", AttackGroup::state),
      experiment("front-freeze", "storefront", "dependency-outage", AttackGroup::application),
      experiment("kill-pod", "storefront", "instance-loss", AttackGroup::resource, LifecycleStatus::candidate),
      experiment("kill-node", "cart", "instance-loss", AttackGroup::resource, LifecycleStatus::draft),
      experiment("old-config", "storefront", "bad-config", AttackGroup::application, LifecycleStatus::retired)};
  return s;
}


Coverage coverage_of(const Suite& suite) { return build_coverage(suite.catalog, outlines_of(suite.experiments).list); }
}  // namespace

TEST(Coverage, BlindSpotsComeFirstInCatalogOrder) {
  const auto coverage = coverage_of(suite());
  ASSERT_EQ(coverage.categories.size(), 3u);
  EXPECT_EQ(coverage.categories[0].id, "instance-loss");
  EXPECT_EQ(coverage.categories[1].id, "bad-config");
  EXPECT_EQ(coverage.categories[2].id, "dependency-outage");
  EXPECT_TRUE(coverage.categories[0].blind_spot());
  EXPECT_TRUE(coverage.categories[1].blind_spot());  // a retired experiment covers nothing
  EXPECT_FALSE(coverage.categories[2].blind_spot());
  EXPECT_EQ(coverage.blind_spots(), 2);
}

TEST(Coverage, CoveredCategoryListsPromotedExperimentsServicesAndIncidents) {
  const auto coverage = coverage_of(suite());
  const auto& covered = coverage.categories[2];
  EXPECT_EQ(covered.experiments, (std::vector<std::string>{"redis-pause", "redis-restart", "front-freeze"}));
  EXPECT_EQ(covered.services, (std::vector<std::string>{"cart", "storefront"}));
  EXPECT_EQ(covered.incidents, (std::vector<std::string>{"INC-1"}));
}

TEST(Coverage, CandidatesAndDraftsThatWouldCoverABlindSpotAreNamed) {
  const auto coverage = coverage_of(suite());
  EXPECT_EQ(candidates_note(coverage.categories[0]), "2 candidates would cover it (kill-pod, kill-node)");
  EXPECT_EQ(candidates_note(coverage.categories[1]), "");  // retired is not a candidate
}

TEST(Coverage, AttackGroupsByServiceCountPromotedOnlyWithEmptyCells) {
  const auto coverage = coverage_of(suite());
  ASSERT_EQ(coverage.attack_groups.size(), 5u);
  ASSERT_EQ(coverage.services, (std::vector<std::string>{"cart", "storefront"}));
  EXPECT_EQ(coverage.promoted_experiments, 3);
  // rows: network, resource, state, application, dependency; columns: cart, storefront
  EXPECT_EQ(coverage.promoted, (std::vector<std::vector<int>>{{0, 0}, {0, 0}, {1, 0}, {0, 1}, {1, 0}}));
}

TEST(Coverage, JsonPutsBlindSpotsFirstAndShowsEmptyCells) {
  const nlohmann::json json = coverage_of(suite());
  EXPECT_EQ(json.at("blindSpots"), 2);
  EXPECT_EQ(json.at("categories").at(0).at("id"), "instance-loss");
  EXPECT_EQ(json.at("categories").at(0).at("blindSpot"), true);
  EXPECT_EQ(json.at("categories").at(0).at("candidates").size(), 2u);
  EXPECT_EQ(json.at("attackGroups").at(0).at("group"), "network");
  EXPECT_EQ(json.at("attackGroups").at(0).at("services").at("cart"), 0);
}

}  // namespace chaosgate::insight
