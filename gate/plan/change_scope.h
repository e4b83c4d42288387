#pragma once
// Merge-request scope: which catalog services a change touches, judged by
// the services' repository path globs (`paths`). Pure: the changed files
// come from the caller (a file, or git through adapters/vcs).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "model/suite.h"

namespace chaosgate {

// Repository-relative form: "./a//b/" -> "a/b", backslashes as slashes, "."
// segments dropped. Returns "" for a path that names nothing ("", ".", "./").
std::string normalise_repository_path(std::string_view path);

// True when `path` (repository-relative, normalised) matches `pattern`:
// `**` any number of segments (none too: "a/**/b" matches "a/b"), `*` any
// run within one segment, `?` one character other than '/', [abc] one of.
// Anchored at the repository root: "*.md" is only the top-level Markdown.
// A pattern ending in '/' covers everything below that directory.
bool path_glob_match(std::string_view pattern, std::string_view path);

// Ids of the catalog services with a `paths` glob matching at least one of
// `changed_files` (normalised first), in catalog order; empty when none.
std::vector<std::string> touched_services(const Suite& suite, const std::vector<std::string>& changed_files);

// What a merge request's change reaches, for the selection and its messages.
struct ChangeScope {
  std::size_t changed_files = 0;
  std::vector<std::string> touched_services;  // catalog order

  // "touched services: cart, storefront (3 changed files)" or
  // "no service touched by 3 changed files".
  std::string describe() const;
  // The run's note, given how many experiments were selected:
  // "merge-request scope: <describe()>: nothing to run, the gate passes", ...
  std::string note(std::size_t selected) const;
};

ChangeScope change_scope(const Suite& suite, const std::vector<std::string>& changed_files);

}  // namespace chaosgate
