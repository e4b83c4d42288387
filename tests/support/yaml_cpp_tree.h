#pragma once
// yaml-cpp's reading of a document into the same tree: the reference the
// YAML reader (libyaml) and our JSON reader are held to, node by node and
// position by position (yaml-cpp read every suite until 2026-12-05).
#include <string_view>

#include "load/document.h"

namespace chaosgate::test {

NodePtr tree_from_yaml_cpp(const FileName& file, std::string_view content, Diagnostics& diagnostics,
                           const ParseLimits& limits);

}  // namespace chaosgate::test
