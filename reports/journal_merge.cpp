#include "journal_merge.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "util/errors.h"
#include "util/text.h"

namespace chaosgate {

namespace {

// "2/3" -> {2, 3}; {0, 0} for an unsharded run.
std::pair<int, int> shard_position(const std::string& shard) {
  int index = 0, count = 0;
  if (std::sscanf(shard.c_str(), "%d/%d", &index, &count) != 2) return {0, 0};
  return {index, count};
}

void check_same(const ShardJournal& first, const ShardJournal& other, const std::string& what,
                const std::string& first_value, const std::string& other_value) {
  if (first_value != other_value)
    throw UserError("cannot merge: " + other.source + " has " + what + " " + in_quotes(other_value) + ", " + first.source +
                    " has " + in_quotes(first_value) + " (shards of one run share the suite and the environment)");
}

void check_shards_complete(const std::vector<ShardJournal>& shards) {
  std::map<int, const ShardJournal*> seen;
  int count = 0;
  for (const auto& shard : shards) {
    const auto [index, of] = shard_position(shard.run.shard);
    if (of == 0) continue;
    if (count != 0 && of != count)
      throw UserError("cannot merge: " + shard.source + " is shard " + shard.run.shard + ", others are of " + std::to_string(count));
    count = of;
    if (auto [it, inserted] = seen.emplace(index, &shard); !inserted)
      throw UserError("cannot merge: shard " + shard.run.shard + " given twice: " + it->second->source + " and " + shard.source);
  }
  std::vector<std::string> missing;
  for (int index = 1; index <= count; ++index)
    if (!seen.count(index)) missing.push_back(std::to_string(index) + "/" + std::to_string(count));
  if (!missing.empty())
    throw UserError("cannot merge: shard(s) " + join(missing, ", ") + " missing; a partial merge would pass experiments that never ran");
}

}  // namespace

RunResult merge_journals(const std::vector<ShardJournal>& shards) {
  if (shards.empty()) throw UserError("merge: no journals given");
  const ShardJournal& first = shards.front();
  for (const auto& shard : shards) {
    check_same(first, shard, "suite digest", first.run.suite_digest, shard.run.suite_digest);
    check_same(first, shard, "environment", first.run.environment, shard.run.environment);
  }
  check_shards_complete(shards);

  std::vector<const ShardJournal*> ordered;
  for (const auto& shard : shards) ordered.push_back(&shard);
  std::stable_sort(ordered.begin(), ordered.end(), [](const ShardJournal* a, const ShardJournal* b) {
    return shard_position(a->run.shard).first < shard_position(b->run.shard).first;
  });

  RunResult merged = first.run;
  merged.shard.clear();
  merged.experiments.clear();
  merged.preflight_problems.clear();
  merged.notices.clear();
  merged.started = first.run.started;
  merged.finished = first.run.finished;
  std::map<std::string, const ShardJournal*> owner_of;
  for (const ShardJournal* shard : ordered) {
    const RunResult& run = shard->run;
    merged.started = std::min(merged.started, run.started);
    merged.finished = std::max(merged.finished, run.finished);
    for (const auto& problem : run.preflight_problems)
      merged.preflight_problems.push_back(run.shard.empty() ? problem : "shard " + run.shard + ": " + problem);
    for (const auto& notice : run.notices)
      merged.notices.push_back(run.shard.empty() ? notice : "shard " + run.shard + ": " + notice);
    for (const auto& result : run.experiments) {
      if (auto [it, inserted] = owner_of.emplace(result.experiment.id, shard); !inserted)
        throw UserError("cannot merge: experiment " + in_quotes(result.experiment.id) + " is in both " + it->second->source +
                        " and " + shard->source);
      merged.experiments.push_back(result);
    }
  }
  return merged;
}

}  // namespace chaosgate
