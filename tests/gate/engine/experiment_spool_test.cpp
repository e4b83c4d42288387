#include "engine/experiment_spool.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "load/suite_loader.h"
#include "support/files.h"
#include "support/temp_dir.h"
#include "support/unnamed_file.h"

namespace chaosgate {

TEST(ExperimentSpool, EachExperimentComesBackEqualInAnyOrderFromSeveralThreads) {
  const std::vector<Experiment> experiments = test::example_experiments();
  ASSERT_GE(experiments.size(), 5U);
  test::TempDir dir;
  ExperimentSpool spool(dir.str());
  for (const auto& experiment : experiments) ASSERT_TRUE(spool.keep(experiment));
  ASSERT_EQ(spool.size(), experiments.size());

  std::vector<std::string> problems[2];
  std::vector<std::thread> readers;
  for (int reader = 0; reader < 2; ++reader)
    readers.emplace_back([&, reader] {
      for (int round = 0; round < 20; ++round)
        for (std::size_t k = 0; k < experiments.size(); ++k) {
          const std::size_t i = reader == 0 ? k : experiments.size() - 1 - k;  // one front to back, one back to front
          std::optional<Experiment> held;
          try {
            if (spool.get(i, held) != experiments[i] || !held) problems[reader].push_back(experiments[i].id);
          } catch (const std::exception& e) {  // not out of the thread: that would end the test binary
            problems[reader].push_back(experiments[i].id + ": " + e.what());
          }
        }
    });
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(problems[0], std::vector<std::string>{});
  EXPECT_EQ(problems[1], std::vector<std::string>{});
}

TEST(ExperimentSpool, ARecordThatCannotBeReadBackThrowsAndItsNeighboursStillRead) {
  const std::vector<Experiment> experiments = test::example_experiments();
  test::TempDir dir;
  ExperimentSpool spool(dir.str());
  for (const auto& experiment : experiments) ASSERT_TRUE(spool.keep(experiment));
  const int fd = test::unnamed_file_fd_in(dir.str());
  ASSERT_GE(fd, 0);
  // The last record cut short (as a full disk or a bad block would leave it).
  const off_t end = ::lseek(fd, 0, SEEK_END);
  ASSERT_EQ(::ftruncate(fd, end - 3), 0);
  std::optional<Experiment> held;
  EXPECT_THROW(spool.get(experiments.size() - 1, held), std::runtime_error);
  EXPECT_EQ(spool.get(0, held), experiments[0]);
}

TEST(ExperimentSpool, NothingKeptIsEmptyAndTheFileGoesWithIt) {
  test::TempDir dir;
  {
    ExperimentSpool spool(dir.str());
    EXPECT_EQ(spool.size(), 0U);
    EXPECT_GE(test::unnamed_file_fd_in(dir.str()), 0);
  }
  EXPECT_EQ(test::unnamed_file_fd_in(dir.str()), -1);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

}  // namespace chaosgate
