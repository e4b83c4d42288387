#include "util/sha256.h"

#include <openssl/evp.h>

#include <gtest/gtest.h>

#include <random>

namespace chaosgate {
namespace {

// FIPS 180-4 / NIST example vectors.
TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

std::string openssl_sha256(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += k_digits[digest[i] >> 4];
    hex += k_digits[digest[i] & 0xF];
  }
  return hex;
}

// Every length around the block and padding boundaries, fed whole and in
// uneven pieces, agrees with OpenSSL's (which the tests link for TLS anyway).
TEST(Sha256, AgreesWithOpenSslAtEveryLengthAndSplit) {
  std::mt19937 random(7);
  for (std::size_t length = 0; length <= 300; ++length) {
    std::string data(length, '\0');
    for (char& c : data) c = static_cast<char>(random());
    const auto expected = openssl_sha256(data);
    EXPECT_EQ(sha256_hex(data), expected) << length;
    Sha256 pieces;
    for (std::size_t at = 0; at < length;) {
      const std::size_t take = std::min<std::size_t>(length - at, 1 + random() % 70);
      pieces.update(std::string_view(data).substr(at, take));
      at += take;
    }
    EXPECT_EQ(pieces.hex_digest(), expected) << length << " in pieces";
  }
}

}  // namespace
}  // namespace chaosgate
