#pragma once
#include "model/suite.h"
#include "util/diagnostics.h"

namespace chaosgate {

// Cross-references after decoding: unique ids, known teams / services /
// categories, defaults taken from the service (owner, targets). Reports into
// `diagnostics`; fills the defaults in `suite`.
void check_suite(Suite& suite, Diagnostics& diagnostics);

}  // namespace chaosgate
