#pragma once
// Settings from the environment, and tokens from the environment or a file:
// shared by the tracker and status set-up and the CI context.
#include <string>

namespace chaosgate::cli {

// The variable's value; "" when it is unset.
std::string env_or_empty(const char* name);

// A token from `file` when one is given (a trailing newline dropped: `echo`
// adds one), else from the environment variable `variable`; "" when neither
// holds one. A token found is registered with redact() before it is returned.
// Throws UserError naming the file when it cannot be read.
std::string read_token(const std::string& file, const char* variable, const std::string& what);

}  // namespace chaosgate::cli
