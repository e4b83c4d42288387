#include "plan/change_scope.h"

#include <algorithm>

#include "util/text.h"

namespace chaosgate {

std::string normalise_repository_path(std::string_view path) {
  std::vector<std::string> segments;
  std::string segment;
  auto flush = [&] {
    // Empty and "." segments come from "./x", "a//b" and "a/./b": they name nothing.
    if (!segment.empty() && segment != ".") segments.push_back(segment);
    segment.clear();
  };
  for (const char c : path) {
    if (c == '/' || c == '\\') flush();
    else segment += c;
  }
  flush();
  return join(segments, "/");
}

bool path_glob_match(std::string_view pattern, std::string_view path) {
  std::string anchored(pattern);
  // "deploy/nginx/" reads as the directory's contents, as in most ignore files.
  if (!anchored.empty() && anchored.back() == '/') anchored += "**";
  // Patterns are written by people ("./services/x/**"); paths come normalised.
  return glob_match(normalise_repository_path(anchored), path, true);
}

std::vector<std::string> touched_services(const Suite& suite, const std::vector<std::string>& changed_files) {
  std::vector<std::string> paths;
  for (const auto& file : changed_files)
    if (auto path = normalise_repository_path(file); !path.empty()) paths.push_back(std::move(path));
  std::vector<std::string> touched;
  for (const auto& service : suite.catalog.services) {
    const bool hit = std::any_of(service.paths.begin(), service.paths.end(), [&](const std::string& pattern) {
      return std::any_of(paths.begin(), paths.end(), [&](const std::string& path) { return path_glob_match(pattern, path); });
    });
    if (hit) touched.push_back(service.id);
  }
  return touched;
}

ChangeScope change_scope(const Suite& suite, const std::vector<std::string>& changed_files) {
  ChangeScope scope;
  for (const auto& file : changed_files) scope.changed_files += normalise_repository_path(file).empty() ? 0 : 1;
  scope.touched_services = touched_services(suite, changed_files);
  return scope;
}

namespace {
std::string files(std::size_t count) { return std::to_string(count) + (count == 1 ? " changed file" : " changed files"); }
}  // namespace

std::string ChangeScope::describe() const {
  if (touched_services.empty()) return "no service touched by " + files(changed_files);
  return "touched services: " + join(touched_services, ", ") + " (" + files(changed_files) + ")";
}

std::string ChangeScope::note(std::size_t selected) const {
  const std::string head = "merge-request scope: " + describe();
  if (selected == 0) return head + ": nothing to run, the gate passes";
  return head + ": " + std::to_string(selected) + " experiment(s) selected" + (touched_services.empty() ? " (marked always)" : "");
}

}  // namespace chaosgate
