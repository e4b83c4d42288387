#pragma once
// The files a merge request changes, from git: the merge base of HEAD with
// the target, then the diff from there to HEAD. git runs as argv (never a
// shell) through the process runner, each command with a timeout.
#include <chrono>
#include <string>
#include <vector>

namespace chaosgate::vcs {

struct GitOptions {
  std::string repository = ".";               // passed as `git -C`
  std::chrono::milliseconds timeout{60000};   // per git command
};

// `git merge-base HEAD <ref>`: the commit where HEAD left `ref`. Throws
// UserError (exit 2) naming the command and git's message when it fails
// (unknown ref, a shallow clone without the ref's history, not a repository,
// git missing, timeout).
std::string merge_base(const std::string& ref, const GitOptions& options = {});

// The merge base with a CI target branch: origin/<branch> first (what a CI
// clone fetches), then the local <branch>. Throws UserError naming both
// commands and git's messages when neither resolves.
std::string merge_base_with_branch(const std::string& branch, const GitOptions& options = {});

// Repository-relative paths changed between `base` and HEAD, in git's order
// (`git diff --name-only -z --no-renames`: a moved file lists both paths).
// Empty when nothing changed. Throws UserError like merge_base().
std::vector<std::string> changed_files(const std::string& base, const GitOptions& options = {});

}  // namespace chaosgate::vcs
