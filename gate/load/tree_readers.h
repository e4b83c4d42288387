#pragma once
// The readers behind parse_document, each feeding a TreeBuilder. Content has
// passed parse_document's checks (size, encoding). Both return nullptr after
// adding a diagnostic.
#include <string_view>
#include <vector>

#include "load/document.h"

namespace chaosgate {

// libyaml's events: every YAML file (the same tree as yaml-cpp gave, which the
// tests hold it to).
NodePtr tree_from_yaml(const FileName& file, std::string_view content, Diagnostics& diagnostics,
                       const ParseLimits& limits);

// Our own reader for JSON text that nlohmann's strict parser has accepted: the
// same tree as yaml-cpp gives, without holding yaml-cpp's whole token queue.
// With `deferred_experiments`, the root's "experiments" elements are checked
// but left out of the tree, and where each starts is noted there instead;
// `pages`, the text's, is told as the reading passes each.
NodePtr tree_from_json(const FileName& file, std::string_view content, Diagnostics& diagnostics,
                       const ParseLimits& limits, std::vector<ValueStart>* deferred_experiments = nullptr,
                       PagedText* pages = nullptr);

}  // namespace chaosgate
