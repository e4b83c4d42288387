#include "util/base64.h"

namespace chaosgate {

std::string base64_encode(std::string_view bytes) {
  static constexpr char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve(4 * ((bytes.size() + 2) / 3));
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned value = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                           static_cast<unsigned char>(bytes[i + 2]);
    out += k_alphabet[(value >> 18) & 63];
    out += k_alphabet[(value >> 12) & 63];
    out += k_alphabet[(value >> 6) & 63];
    out += k_alphabet[value & 63];
  }
  if (i < bytes.size()) {  // one or two bytes left: padded with '='
    const bool two = i + 1 < bytes.size();
    const unsigned value = (static_cast<unsigned char>(bytes[i]) << 16) | (two ? static_cast<unsigned char>(bytes[i + 1]) << 8 : 0);
    out += k_alphabet[(value >> 18) & 63];
    out += k_alphabet[(value >> 12) & 63];
    out += two ? k_alphabet[(value >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace chaosgate
