#include "engine/experiment_store.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <csignal>
#include <optional>
#include <vector>

#include "load/suite_loader.h"
#include "support/files.h"
#include "support/temp_dir.h"

namespace chaosgate {

namespace {

// Each experiment comes back equal, at its outline's index, and the outline is its own.
void expect_kept(const ExperimentStore& store, const std::vector<Experiment>& experiments) {
  ASSERT_EQ(store.size(), experiments.size());
  ASSERT_EQ(store.outlines().size(), experiments.size());
  for (const auto& outline : store.outlines()) {
    std::optional<Experiment> held;
    EXPECT_EQ(store.get(outline.index, held), experiments[outline.index]);
    EXPECT_EQ(outline.id, experiments[outline.index].id);
  }
}
}  // namespace

TEST(ExperimentStore, KeepsEachInTheSpoolAndItsOutlineInMemory) {
  const auto experiments = test::example_experiments();
  test::TempDir dir;
  ExperimentStore store(dir.str());
  store.reserve(experiments.size());
  for (Experiment copy : experiments) store.keep(std::move(copy));
  EXPECT_FALSE(store.in_memory());
  expect_kept(store, experiments);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << "the spool has no name";
}

TEST(ExperimentStore, WithoutASpoolTheyAreKeptInMemory) {
  const auto experiments = test::example_experiments();
  test::TempDir dir;
  ExperimentStore store((dir.path() / "no-such-dir").string());
  for (Experiment copy : experiments) store.keep(std::move(copy));
  EXPECT_TRUE(store.in_memory());
  expect_kept(store, experiments);
}

// The start order over the store: position i of the order is the store's positions[i].
TEST(ExperimentStore, InOrderGivesTheStoresExperimentsInItsOwnOrder) {
  const auto experiments = test::example_experiments();
  ASSERT_GE(experiments.size(), 3U);
  test::TempDir dir;
  ExperimentStore store(dir.str());
  for (Experiment copy : experiments) store.keep(std::move(copy));
  const ExperimentsInOrder order(store, {2, 0});
  ASSERT_EQ(order.size(), 2U);
  std::optional<Experiment> held;
  EXPECT_EQ(order.get(0, held).id, experiments[2].id);
  EXPECT_EQ(order.get(1, held).id, experiments[0].id);
  EXPECT_THROW(order.get(2, held), std::out_of_range);
}

// A spool that fills up part-way (here: a file size limit, as a full disk
// would) hands what it holds over to memory and nothing is lost. Run in a
// child (the limit is the process's): exits 0 when all went as it should.
[[noreturn]] void keep_past_a_file_size_limit(const std::vector<Experiment>& experiments, const std::string& dir) {
  std::signal(SIGXFSZ, SIG_IGN);  // a write past the limit fails with EFBIG instead
  const rlimit limit{1500, 1500};  // room for one experiment's record, not for all
  setrlimit(RLIMIT_FSIZE, &limit);
  ExperimentStore store(dir);
  std::size_t kept_in_spool = 0;
  for (Experiment copy : experiments) {
    store.keep(std::move(copy));
    if (!store.in_memory()) ++kept_in_spool;
  }
  const bool handed_over = store.in_memory() && kept_in_spool >= 1;
  bool equal = store.size() == experiments.size();
  for (std::size_t i = 0; equal && i < experiments.size(); ++i) {
    std::optional<Experiment> held;
    equal = store.get(i, held) == experiments[i] && store.outlines()[i].index == i;
  }
  std::exit(handed_over && equal ? 0 : 1);
}

TEST(ExperimentStore, ASpoolThatFailsPartWayHandsOverToMemory) {
  const auto experiments = test::example_experiments();
  ASSERT_GE(experiments.size(), 3U);
  test::TempDir dir;
  EXPECT_EXIT(keep_past_a_file_size_limit(experiments, dir.str()), ::testing::ExitedWithCode(0), "");
}

}  // namespace chaosgate
