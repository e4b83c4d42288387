#include "model/field_locations.h"

#include <gtest/gtest.h>

namespace chaosgate {

TEST(FieldLocations, FindsAWrittenFieldWithItsFileAndPosition) {
  FieldLocations locations;
  locations.start("suite.yaml", 3);
  locations.add("id", 4, 9);
  locations.add("status", 10, 13);
  locations.add("incidentCategory", 11, 23);
  ASSERT_TRUE(locations.find("status"));
  EXPECT_EQ(locations.find("status")->to_string(), "suite.yaml:10:13");
  EXPECT_EQ(locations.find("incidentCategory")->to_string(), "suite.yaml:11:23");
  EXPECT_FALSE(locations.find("owner"));  // not written: the caller falls back to the element
  EXPECT_FALSE(locations.find("stat"));   // whole names only
}

TEST(FieldLocations, StartingAgainForgetsTheEarlierFields) {
  FieldLocations locations;
  locations.start("a.yaml", 1);
  locations.add("owner", 2, 3);
  locations.start("b.yaml", 1);
  locations.add("title", 5, 6);
  EXPECT_FALSE(locations.find("owner"));
  EXPECT_EQ(locations.find("title")->to_string(), "b.yaml:5:6");
}

}  // namespace chaosgate
