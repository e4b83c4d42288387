#pragma once
#include <string>
#include <string_view>

namespace chaosgate {

// Lower-case hex SHA-256 of `data` (OpenSSL's libcrypto does the hashing).
std::string sha256_hex(std::string_view data);

// Incremental form, for digests over several files.
class Sha256 {
public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view data);
  std::string hex_digest();  // finishes; call once

private:
  void* m_ctx;
};

}  // namespace chaosgate
