#include "plan/change_scope.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "load/suite_loader.h"
#include "plan/selection.h"
#include "support/files.h"
#include "support/selection_of_suite.h"

namespace chaosgate {

namespace {

Service service(const std::string& id, std::vector<std::string> paths) {
  Service s;
  s.id = id;
  s.owner = "team";
  s.paths = std::move(paths);
  return s;
}

Experiment experiment(const std::string& id, const std::string& service_id, bool always = false,
                      LifecycleStatus status = LifecycleStatus::promoted) {
  Experiment e;
  e.id = id;
  e.service = service_id;
  e.owner = "team";
  e.targets = {id};
  e.status = status;
  e.always = always;
  Action wait;  // equal durations, so shards balance by count
  wait.kind = ActionKind::pause;
  wait.pause = Millis(1000);
  e.method.push_back(wait);
  return e;
}

// storefront and cart as in the example suite, plus a service without paths.
Suite shop() {
  Suite suite;
  suite.catalog.services = {service("storefront", {"services/storefront/**", "deploy/nginx/"}),
                            service("cart", {"services/cart/**", "libs/*/cart_*.h"}),
                            service("monitoring", {"deploy/prometheus/**/*.yml"}), service("legacy", {})};
  suite.experiments = {experiment("front-freeze", "storefront"), experiment("cart-redis", "cart"),
                       experiment("cart-draft", "cart", false, LifecycleStatus::draft),
                       experiment("error-rate", "monitoring", true), experiment("legacy-kill", "legacy")};
  return suite;
}

std::vector<std::string> ids(const Selection& selection) {
  std::vector<std::string> out;
  for (const auto* e : selection.selected) out.emplace_back(e->id);
  return out;
}

test::SelectionOfSuite scoped(const Suite& suite, std::vector<std::string> files) {
  SelectionCriteria criteria;
  criteria.changed_files = std::move(files);
  return test::select_from(suite, criteria);
}

using Names = std::vector<std::string>;

}  // namespace

TEST(ChangeScope, GlobstarSpansAnyDepthIncludingNone) {
  EXPECT_TRUE(path_glob_match("services/cart/**", "services/cart/main.cpp"));
  EXPECT_TRUE(path_glob_match("services/cart/**", "services/cart/src/redis/pool.cpp"));
  EXPECT_FALSE(path_glob_match("services/cart/**", "services/cartography/main.cpp"));
  EXPECT_FALSE(path_glob_match("services/cart/**", "other/services/cart/main.cpp"));  // anchored at the root
  EXPECT_TRUE(path_glob_match("deploy/**/*.yml", "deploy/prometheus.yml"));
  EXPECT_TRUE(path_glob_match("deploy/**/*.yml", "deploy/a/b/prometheus.yml"));
  EXPECT_TRUE(path_glob_match("**/Dockerfile", "Dockerfile"));
  EXPECT_TRUE(path_glob_match("**/Dockerfile", "services/cart/Dockerfile"));
  EXPECT_FALSE(path_glob_match("**/Dockerfile", "services/cart/Dockerfile.dev"));
}

TEST(ChangeScope, StarAndQuestionMarkStayWithinOneSegment) {
  EXPECT_TRUE(path_glob_match("libs/*/cart_*.h", "libs/core/cart_api.h"));
  EXPECT_FALSE(path_glob_match("libs/*/cart_*.h", "libs/core/sub/cart_api.h"));
  EXPECT_FALSE(path_glob_match("*.md", "docs/guide.md"));
  EXPECT_TRUE(path_glob_match("*.md", "README.md"));
  EXPECT_TRUE(path_glob_match("v?/api.proto", "v2/api.proto"));
  EXPECT_FALSE(path_glob_match("v?/api.proto", "v10/api.proto"));
  EXPECT_FALSE(path_glob_match("a?b", "a/b"));
}

TEST(ChangeScope, PatternsAreNormalisedAndATrailingSlashMeansBelow) {
  EXPECT_TRUE(path_glob_match("./services/cart/**", "services/cart/x.cpp"));
  EXPECT_TRUE(path_glob_match("deploy/nginx/", "deploy/nginx/conf.d/shop.conf"));
  EXPECT_FALSE(path_glob_match("deploy/nginx/", "deploy/nginx.conf"));
  EXPECT_TRUE(path_glob_match("services/cart/main.cpp", "services/cart/main.cpp"));
  EXPECT_FALSE(path_glob_match("services/cart/main.cpp", "services/cart/main.cpp.orig"));
}

TEST(ChangeScope, PathsAreNormalisedToRepositoryRelative) {
  EXPECT_EQ(normalise_repository_path("./services/cart/x.cpp"), "services/cart/x.cpp");
  EXPECT_EQ(normalise_repository_path("services//cart/./x.cpp"), "services/cart/x.cpp");
  EXPECT_EQ(normalise_repository_path("services\\cart\\x.cpp"), "services/cart/x.cpp");
  EXPECT_EQ(normalise_repository_path("deploy/nginx/"), "deploy/nginx");
  EXPECT_EQ(normalise_repository_path("./"), "");
  EXPECT_EQ(normalise_repository_path(""), "");
  EXPECT_EQ(touched_services(shop(), {"./services/cart/x.cpp"}), Names{"cart"});
}

TEST(ChangeScope, SeveralServicesInCatalogOrder) {
  EXPECT_EQ(touched_services(shop(), {"services/cart/a.cpp", "README.md", "deploy/nginx/shop.conf"}),
            (Names{"storefront", "cart"}));
  EXPECT_EQ(touched_services(shop(), {"deploy/prometheus/rules/shop.yml"}), Names{"monitoring"});
  EXPECT_EQ(touched_services(shop(), {"deploy/prometheus/README.md"}), Names{});
}

TEST(ChangeScope, SelectsTheTouchedServicesPlusAlways) {
  const Suite suite = shop();
  const auto selection = scoped(suite, {"services/cart/redis.cpp"});
  // The draft of cart stays out: the scope narrows the status filter, never widens it.
  EXPECT_EQ(ids(selection), (Names{"cart-redis", "error-rate"}));
  ASSERT_TRUE(selection.change_scope);
  EXPECT_EQ(selection.change_scope->describe(), "touched services: cart (1 changed file)");
  bool reason_found = false;
  for (const auto& skipped : selection.skipped)
    if (skipped.experiment->id == "front-freeze") {
      EXPECT_EQ(skipped.reason, "service storefront not touched by the change");
      reason_found = true;
    }
  EXPECT_TRUE(reason_found);
}

TEST(ChangeScope, NothingTouchedSelectsOnlyAlways) {
  Suite suite = shop();
  const std::vector<std::string> docs = {"README.md", "docs/guide.md", "./"};
  auto selection = scoped(suite, docs);
  EXPECT_EQ(ids(selection), Names{"error-rate"});
  EXPECT_EQ(selection.change_scope->describe(), "no service touched by 2 changed files");
  EXPECT_EQ(selection.change_scope->note(1),
            "merge-request scope: no service touched by 2 changed files: 1 experiment(s) selected (marked always)");

  suite.experiments[3].always = false;
  selection = scoped(suite, docs);
  EXPECT_TRUE(selection.selected.empty());
  EXPECT_EQ(selection.change_scope->note(0), "merge-request scope: no service touched by 2 changed files: nothing to run, the gate passes");
  EXPECT_EQ(scoped(suite, {}).change_scope->describe(), "no service touched by 0 changed files");
}

TEST(ChangeScope, NoChangedFilesMeansNoScoping) {
  const Suite suite = shop();
  const auto selection = test::select_from(suite, {});
  EXPECT_FALSE(selection.change_scope);
  EXPECT_EQ(ids(selection), (Names{"front-freeze", "cart-redis", "error-rate", "legacy-kill"}));
}

TEST(ChangeScope, ShardsCutTheScopedList) {
  // front-freeze, cart-redis and error-rate, one on each shard; legacy-kill on
  // none. Sharding before scoping would give the long legacy-kill a shard of
  // its own and leave that shard empty.
  Suite suite = shop();
  suite.experiments[4].method[0].pause = Millis(10000);
  SelectionCriteria criteria;
  criteria.changed_files = std::vector<std::string>{"services/storefront/x", "services/cart/y"};
  Names all;
  for (int index = 1; index <= 3; ++index) {
    criteria.shard = {index, 3};
    const auto shard = test::select_from(suite, criteria);
    ASSERT_EQ(shard.selected.size(), 1u) << "shard " << index;
    all.emplace_back(shard.selected[0]->id);
  }
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (Names{"cart-redis", "error-rate", "front-freeze"}));
}

TEST(ChangeScope, AlwaysIsReadFromTheSuiteWithDiagnostics) {
  LoadOptions options;
  options.process_variables = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  const auto loaded = load_suite({test::repo_source("examples/shop-suite.yaml")}, options);
  ASSERT_TRUE(loaded.ok());
  std::vector<std::string> always;
  for (const auto& e : loaded.suite.experiments)
    if (e.always) always.push_back(e.id);
  EXPECT_EQ(always, Names{"error-rate-holds-during-instance-freeze"});

  const std::string suite =
      "apiVersion: chaosgate/v1\ncatalog:\n  teams: [{id: t}]\n  services: [{id: s, owner: t, targets: [x]}]\n"
      "  incidentCategories: [{id: c, title: C}]\nexperiments:\n  - id: e\n    title: T\n    service: s\n"
      "    hypothesis: H\n    incidentCategory: c\n    attackGroup: state\n    risk: {likelihood: 1, impact: 1}\n"
      "    status: promoted\n    always: \"yes\"\n    followUp: [f]\n"
      "    steadyState: [{name: p, tcp: {host: 127.0.0.1, port: 1}}]\n    method: [{name: w, pause: 1s}]\n";
  const auto bad = load_suite({{"mr.yaml", suite, "yaml"}}, options);
  ASSERT_EQ(bad.diagnostics.error_count(), 1u);
  EXPECT_EQ(bad.diagnostics.items()[0].to_string(),
            "mr.yaml:15:13: error: experiments[0].always: expected true or false, found a string");
}

}  // namespace chaosgate
