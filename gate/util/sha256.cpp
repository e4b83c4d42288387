#include "util/sha256.h"

#include <openssl/evp.h>

#include <cassert>

namespace chaosgate {

namespace {
std::string to_hex(const unsigned char* bytes, unsigned int length) {
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out += k_digits[bytes[i] >> 4];
    out += k_digits[bytes[i] & 0xF];
  }
  return out;
}
}  // namespace

Sha256::Sha256() : m_ctx(EVP_MD_CTX_new()) {
  assert(m_ctx);
  EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(m_ctx), EVP_sha256(), nullptr);
}

Sha256::~Sha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(m_ctx)); }

void Sha256::update(std::string_view data) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(m_ctx), data.data(), data.size());
}

std::string Sha256::hex_digest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(m_ctx), digest, &length);
  return to_hex(digest, length);
}

std::string sha256_hex(std::string_view data) {
  Sha256 hasher;
  hasher.update(data);
  return hasher.hex_digest();
}

}  // namespace chaosgate
