#pragma once
// Which experiments a run takes: lifecycle status, --only / --skip selectors,
// the merge-request scope (changed files), and --shard I/N.
#include <optional>
#include <string>
#include <vector>

#include "model/experiment_outline.h"
#include "model/suite.h"
#include "plan/change_scope.h"

namespace chaosgate {

// A selector: "ID-GLOB" (the default form), "team:T", "service:S", "tag:X",
// "group:G" (attack group); the value may be a glob too.
struct Selector {
  std::string field;  // "id", "team", "service", "tag", "group"
  std::string pattern;
  bool matches(const ExperimentOutline& experiment) const;
  std::string text() const;  // as written: "cart-*", "team:checkout"
};

// Throws UserError naming the bad selector and the accepted forms.
Selector parse_selector(const std::string& text);

struct Shard {
  int index = 1;  // 1-based
  int count = 1;
};

// Parses "I/N" with 1 <= I <= N <= 1000; throws UserError otherwise.
Shard parse_shard(const std::string& text);

struct SelectionCriteria {
  std::vector<LifecycleStatus> statuses{LifecycleStatus::promoted};
  std::vector<Selector> only;  // empty: all
  std::vector<Selector> skip;
  // Set in merge-request mode: only experiments of services these files touch,
  // plus those marked `always`. Unset: no scoping.
  std::optional<std::vector<std::string>> changed_files;
  Shard shard;
};

struct SkippedExperiment {
  const ExperimentOutline* experiment;
  std::string reason;
};

struct Selection {
  std::vector<const ExperimentOutline*> selected;  // suite order
  std::vector<SkippedExperiment> skipped;   // with why ("status draft", "--skip team:x", "shard 1/3")
  std::optional<ChangeScope> change_scope;  // set when criteria.changed_files is
};

// Throws UserError when an --only selector matches no experiment of the suite
// (whatever its status): a typo, or an experiment renamed or removed since the
// pipeline named it, would otherwise pass the gate having run none of what
// was asked for. A --skip that matches nothing only runs more, and is allowed.
// Selected and skipped point into `experiments`, the suite's outlines in
// suite order (its catalog decides the merge-request scope).
// Deterministic: depends only on the suite and the criteria. Sharding
// balances estimated durations (longest first onto the least-loaded shard,
// ties by id), so each shard of the same suite computes the same partition.
Selection select_experiments(const Suite& suite, std::span<const ExperimentOutline> experiments,
                            const SelectionCriteria& criteria);

// For a selection with nothing in it: why each experiment was left out,
// counted by reason in suite order, e.g. "nothing selected: the suite's 3
// experiment(s) were all left out (2 status candidate, 1 --skip tag:x)".
std::string nothing_selected_note(const Selection& selection);

}  // namespace chaosgate
