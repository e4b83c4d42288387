#pragma once
#include "model/run_result.h"

namespace chaosgate::cli {

// Reads the CI context from the standard variables of GitLab CI, GitHub
// Actions and Jenkins ("local" when none is found).
CiContext detect_ci_context();

}  // namespace chaosgate::cli
