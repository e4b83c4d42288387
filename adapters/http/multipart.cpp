#include "http/multipart.h"

#include <random>

namespace chaosgate::http {

namespace {

// The WHATWG form encoding of a name in Content-Disposition: a quote or line
// break would otherwise end the parameter or the header.
std::string quoted_parameter(const std::string& value) {
  std::string out;
  for (const char c : value) {
    switch (c) {
      case '"': out += "%22"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string multipart_boundary() {
  static constexpr char k_hex[] = "0123456789abcdef";
  std::random_device seed;
  std::mt19937_64 random{(static_cast<unsigned long long>(seed()) << 32) ^ seed()};
  std::uniform_int_distribution<int> digit(0, 15);
  std::string boundary = "chaosgate-";
  for (int i = 0; i < 32; ++i) boundary += k_hex[digit(random)];
  return boundary;
}

std::string multipart_content_type(const std::string& boundary) { return "multipart/form-data; boundary=" + boundary; }

std::string multipart_body(const std::string& boundary, const std::string& field_name, const std::string& filename,
                           const std::string& media_type, const std::string& content) {
  std::string body;
  body.reserve(content.size() + 256);
  body += "--" + boundary + "\r\n";
  body += "Content-Disposition: form-data; name=\"" + quoted_parameter(field_name) + "\"; filename=\"" +
          quoted_parameter(filename) + "\"\r\n";
  body += "Content-Type: " + (media_type.empty() ? std::string("application/octet-stream") : media_type) + "\r\n\r\n";
  body += content;
  body += "\r\n--" + boundary + "--\r\n";
  return body;
}

}  // namespace chaosgate::http
