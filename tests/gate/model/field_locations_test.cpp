#include "model/field_locations.h"

#include <gtest/gtest.h>

namespace chaosgate {

TEST(FieldLocations, FindsAWrittenFieldWithItsFileAndPosition) {
  FieldLocations locations;
  const FieldPlace places[] = {{LocatedField::status, 10, 13}, {LocatedField::incident_category, 11, 23}};
  locations.assign("suite.yaml", places);
  ASSERT_TRUE(locations.find(LocatedField::status));
  EXPECT_EQ(locations.find(LocatedField::status)->to_string(), "suite.yaml:10:13");
  EXPECT_EQ(locations.find(LocatedField::incident_category)->to_string(), "suite.yaml:11:23");
  EXPECT_FALSE(locations.find(LocatedField::owner));  // not written: the caller falls back to the element
}

TEST(FieldLocations, AssigningAgainForgetsTheEarlierFields) {
  FieldLocations locations;
  const FieldPlace first[] = {{LocatedField::owner, 2, 3}};
  locations.assign("a.yaml", first);
  const FieldPlace second[] = {{LocatedField::service, 5, 6}};
  locations.assign("b.yaml", second);
  EXPECT_FALSE(locations.find(LocatedField::owner));
  EXPECT_EQ(locations.find(LocatedField::service)->to_string(), "b.yaml:5:6");
}

TEST(FieldLocations, EachFieldIsNamedByItsKeyInASuiteFile) {
  EXPECT_EQ(field_key(LocatedField::owner), "owner");
  EXPECT_EQ(field_key(LocatedField::service), "service");
  EXPECT_EQ(field_key(LocatedField::incident_category), "incidentCategory");
  EXPECT_EQ(field_key(LocatedField::status), "status");
}

}  // namespace chaosgate
