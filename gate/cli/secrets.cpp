#include "cli/secrets.h"

#include <cstdlib>

#include "util/errors.h"
#include "util/file_text.h"
#include "util/redact.h"

namespace chaosgate::cli {

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

std::string read_token(const std::string& file, const char* variable, const std::string& what) {
  std::string value;
  if (file.empty()) {
    value = env_or_empty(variable);
  } else {
    FileText text = read_file_text(file);
    if (!text) throw UserError(file + ": cannot read the " + what + ": " + text.reason);
    value = std::move(text.text);
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
  }
  if (!value.empty()) register_secret(value);
  return value;
}

}  // namespace chaosgate::cli
