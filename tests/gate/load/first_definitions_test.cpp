#include "load/first_definitions.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <unordered_map>

namespace chaosgate {

TEST(FirstDefinitions, ASecondDefinitionGetsTheFirstsFileLineAndColumn) {
  FirstDefinitions ids;
  EXPECT_EQ(ids.seen_before("cart", {"suite/a.yaml", 3, 5}), std::nullopt);
  EXPECT_EQ(ids.seen_before("checkout", {"suite/a.yaml", 9, 5}), std::nullopt);
  EXPECT_EQ(ids.seen_before("carts", {"suite/b.yaml", 2, 5}), std::nullopt) << "a prefix is another id";
  EXPECT_EQ(ids.seen_before("", {"suite/b.yaml", 4, 5}), std::nullopt);
  EXPECT_EQ(ids.seen_before("cart", {"suite/b.yaml", 7, 5}), (SourceLocation{"suite/a.yaml", 3, 5}));
  EXPECT_EQ(ids.seen_before("", {"suite/c.yaml", 1, 1}), (SourceLocation{"suite/b.yaml", 4, 5}));
  EXPECT_EQ(ids.seen_before("carts", {"suite/c.yaml", 8, 1}), (SourceLocation{"suite/b.yaml", 2, 5}));
  EXPECT_EQ(ids.size(), 4U) << "a duplicate is not remembered again";
}

TEST(FirstDefinitions, AgreesWithAMapOverManyIdsThroughEveryGrowth) {
  // Ids of several lengths (some past what fits in a std::string's own
  // bytes), 20,000 of them drawn 60,000 times, over several files.
  FirstDefinitions ids;
  std::unordered_map<std::string, SourceLocation> reference;
  std::mt19937 random(7);
  const FileName files[] = {"a.yaml", "b.yaml", "c.json"};
  for (int i = 0; i < 60000; ++i) {
    const std::string id = std::string(random() % 5 * 7, 'x') + std::to_string(random() % 4000);
    const SourceLocation where{files[(i / 1000) % 3], i + 1, static_cast<int>(random() % 80) + 1};
    const auto first = ids.seen_before(id, where);
    const auto [known, inserted] = reference.emplace(id, where);
    if (inserted) {
      ASSERT_EQ(first, std::nullopt) << id << " at " << i;
    } else {
      ASSERT_TRUE(first.has_value()) << id << " at " << i;
      ASSERT_EQ(*first, known->second) << id;
      ASSERT_EQ(first->file.str(), known->second.file.str()) << id;
    }
  }
  EXPECT_EQ(ids.size(), reference.size());
  EXPECT_GT(reference.size(), 15000U);
}

TEST(FirstDefinitions, RoomMadeAheadKeepsWhatWasSeenAndTakesMoreThanExpected) {
  FirstDefinitions ids;
  for (int i = 0; i < 40; ++i) EXPECT_EQ(ids.seen_before("early-" + std::to_string(i), {"a.yaml", i + 1, 1}), std::nullopt);
  ids.expect(1000);  // after some, as after none
  ids.expect(10);    // less than there is: nothing lost
  for (int i = 0; i < 40; ++i)
    EXPECT_EQ(ids.seen_before("early-" + std::to_string(i), {"b.yaml", 1, 1}), (SourceLocation{"a.yaml", i + 1, 1}));
  for (int i = 0; i < 3000; ++i) ASSERT_EQ(ids.seen_before("id-" + std::to_string(i), {"b.yaml", i + 1, 3}), std::nullopt) << i;
  for (int i = 0; i < 3000; i += 7)
    ASSERT_EQ(ids.seen_before("id-" + std::to_string(i), {"c.yaml", 1, 1}), (SourceLocation{"b.yaml", i + 1, 3})) << i;
  EXPECT_EQ(ids.size(), 3040U);
}

}  // namespace chaosgate
