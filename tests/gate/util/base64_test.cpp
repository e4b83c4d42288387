#include "util/base64.h"

#include <gtest/gtest.h>

namespace chaosgate {
namespace {

// RFC 4648 section 10 test vectors, and a basic-auth pair.
TEST(Base64, Rfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode("bot@example.com:t0ken"), "Ym90QGV4YW1wbGUuY29tOnQwa2Vu");
}

}  // namespace
}  // namespace chaosgate
