#pragma once
// Rewrites single scalar values of a suite file in place, byte for byte
// everywhere else: comments, key order, quoting and blank lines stay as the
// user wrote them (JSON and YAML alike), because only the value's own
// characters at its recorded position are replaced.
#include <string>
#include <vector>

#include "model/source_location.h"

namespace chaosgate::insight {

struct ScalarEdit {
  SourceLocation at;      // of the value, as the loader recorded it
  std::string old_value;  // unquoted, e.g. "candidate"
  std::string new_value;  // written with the same quotes as the old one
};

// `text` is the content of the file all `edits` point into. Throws UserError
// naming file:line when a value is not where the suite said (the file changed
// since it was loaded) or is not a plain or quoted scalar.
std::string apply_scalar_edits(const std::string& text, const std::vector<ScalarEdit>& edits);

// A unified diff (3 lines of context) of two versions of `path`; empty when
// they are equal. Lines are compared one for one: edits never add or remove
// lines.
std::string unified_diff_same_lines(const std::string& path, const std::string& before, const std::string& after);

}  // namespace chaosgate::insight
