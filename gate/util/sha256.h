#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace chaosgate {

// Lower-case hex SHA-256 (FIPS 180-4) of `data`.
std::string sha256_hex(std::string_view data);

// Incremental form, for digests over several files.
// Our own code rather than OpenSSL's: the digests are of suite files and
// definitions (kilobytes), and libcrypto cost every command its loading and
// every `validate` or `run` its one-time initialisation (reading openssl.cnf,
// registering every algorithm), more than all the hashing it did.
class Sha256 {
public:
  Sha256();
  void update(std::string_view data);
  std::string hex_digest();  // finishes; call once

private:
  void compress(const unsigned char* block);

  std::array<std::uint32_t, 8> m_state;
  std::array<unsigned char, 64> m_block{};
  std::size_t m_block_used = 0;
  std::uint64_t m_total_bytes = 0;
};

}  // namespace chaosgate
