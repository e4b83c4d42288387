#include "model/experiment_outline.h"

#include <gtest/gtest.h>

namespace chaosgate {

// The outline is what selection, plan, guards and coverage decide with: each
// field must be the experiment's, and the estimate the experiment's own.
TEST(ExperimentOutline, CarriesWhatTheDecisionsReadOfTheExperiment) {
  Experiment e;
  e.id = "cart-survives-redis-pause";
  e.owner = "checkout";
  e.service = "cart";
  e.incident_category = "dependency-outage";
  e.targets = {"redis", "cart"};
  e.tags = {"slow"};
  e.attack_group = AttackGroup::dependency;
  e.status = LifecycleStatus::candidate;
  e.always = true;
  e.allow_production = true;
  e.location = {"suite.yaml", 40, 3};
  Action pause;
  pause.kind = ActionKind::pause;
  pause.pause = Millis(1500);
  e.method.push_back(pause);
  OutlineNames names;
  const ExperimentOutline outline = outline_of(e, 7, names);
  EXPECT_EQ(outline.index, 7u);
  EXPECT_EQ(outline.id, e.id);
  EXPECT_EQ(outline.owner, "checkout");
  EXPECT_EQ(outline.service, "cart");
  EXPECT_EQ(outline.incident_category, "dependency-outage");
  EXPECT_EQ(std::vector<std::string>(outline.targets.begin(), outline.targets.end()), e.targets);
  EXPECT_EQ(std::vector<std::string>(outline.tags.begin(), outline.tags.end()), e.tags);
  EXPECT_EQ(outline.attack_group, AttackGroup::dependency);
  EXPECT_EQ(outline.status, LifecycleStatus::candidate);
  EXPECT_TRUE(outline.always);
  EXPECT_TRUE(outline.allow_production);
  EXPECT_FALSE(outline.has_stop_conditions);
  EXPECT_EQ(outline.estimated_duration, e.estimated_duration());
  EXPECT_GE(outline.estimated_duration, Millis(1500));
  EXPECT_EQ(outline.location.to_string(), "suite.yaml:40:3");

  e.stop_conditions.push_back(Probe{});
  EXPECT_TRUE(outline_of(e, 0, names).has_stop_conditions);
  e.location = {"suite.yaml", 0, 0};
  EXPECT_EQ(outline_of(e, 0, names).location.to_string(), "suite.yaml") << "no line: the file alone, as SourceLocation";
}

// One is kept per experiment through loading and planning: 144 bytes with
// views for names, 88 with kept texts, 80 with byte-sized enums and bits for
// its flags (issue 7, memory flat in the suite).
TEST(ExperimentOutline, IsEightyBytesOnA64BitMachine) {
  if constexpr (sizeof(void*) == 8) {
    EXPECT_LE(sizeof(ExperimentOutline), 80u);
  }
}

TEST(ExperimentOutline, OutlinesAreNumberedInSuiteOrder) {
  std::vector<Experiment> experiments(3);
  experiments[0].id = "a";
  experiments[1].id = "b";
  experiments[2].id = "c";
  const auto outlines = outlines_of(experiments);
  const auto pointers = pointers_to(outlines.list);
  ASSERT_EQ(pointers.size(), 3u);
  for (std::uint32_t i = 0; i < 3; ++i) {
    EXPECT_EQ(pointers[i], &outlines.list[i]);
    EXPECT_EQ(pointers[i]->index, i);
    EXPECT_EQ(pointers[i]->id, experiments[i].id);
  }
}

}  // namespace chaosgate

namespace chaosgate {

// One name, one copy: the outlines of a large suite share their owners,
// services, categories and target lists; ids are kept as they come.
TEST(OutlineNames, KeepsEachDistinctNameAndListOnce) {
  OutlineNames names;
  EXPECT_EQ(names.name(""), "");  // before any block is made: an owner left out, say
  const std::string_view cart = names.name("cart");
  EXPECT_EQ(cart, "cart");
  EXPECT_EQ(names.name(std::string("cart")).data(), cart.data());
  EXPECT_NE(names.name("redis").data(), cart.data());

  const KeptNames targets = names.list({"redis", "cart"});
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0], "redis");
  EXPECT_EQ(targets[1].data(), cart.data()) << "a list's names are the names kept";
  EXPECT_EQ(names.list({"redis", "cart"}).data(), targets.data());
  EXPECT_NE(names.list({"cart", "redis"}).data(), targets.data()) << "order is part of a list";
  EXPECT_TRUE(names.list({}).empty());

  const std::string_view first = names.unique("e00001");
  const std::string_view second = names.unique("e00001");
  EXPECT_EQ(first, second);
  EXPECT_NE(first.data(), second.data()) << "an id is not looked up";
  const std::string long_id(40000, 'x');  // longer than a block: one of its own
  EXPECT_EQ(names.unique(long_id), long_id);

  // Texts of every length around a block's size (16 KiB, less the length
  // kept before each): each reads back whole, whichever block it went to.
  std::vector<std::pair<KeptText, std::string>> kept;
  for (const std::size_t length : {16380u, 1u, 16379u, 16383u, 16384u, 16385u, 3u, 16376u, 7u, 0u, 20000u}) {
    std::string text(length, 'a');
    for (std::size_t i = 0; i < length; ++i) text[i] = static_cast<char>('a' + (i + length) % 26);
    kept.emplace_back(names.unique(text), text);
  }
  for (const auto& [handle, text] : kept) EXPECT_EQ(handle.view(), text) << text.size() << " characters";

  // Moved, the names stay where they are: outlines made before still read them.
  const OutlineNames moved = std::move(names);
  EXPECT_EQ(cart, "cart");
  EXPECT_EQ(targets[0], "redis");
  EXPECT_EQ(first, "e00001");
}

}  // namespace chaosgate
