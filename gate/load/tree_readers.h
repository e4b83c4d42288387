#pragma once
// The readers behind parse_document, each feeding a TreeBuilder. Content has
// passed parse_document's checks (size, encoding). Both return nullptr after
// adding a diagnostic.
#include <string_view>

#include "load/document.h"

namespace chaosgate {

// yaml-cpp's events: every YAML file (and JSON before our own reader).
NodePtr tree_from_yaml(const FileName& file, std::string_view content, Diagnostics& diagnostics,
                       const ParseLimits& limits);

}  // namespace chaosgate
