#pragma once
// Joins the journals of `--shard I/N` runs into the journal of one run, so a
// sharded pipeline ends with one set of reports and one gate decision.
#include <string>
#include <vector>

#include "model/run_result.h"

namespace chaosgate {

struct ShardJournal {
  std::string source;  // where it was read from, named in errors
  RunResult run;
};

// The merged run: experiments in shard order, started/finished spanning all
// shards, preflight problems prefixed with their shard. The gate is not
// decided here (the caller applies its policy).
// Throws UserError naming the sources when the shards cannot be one run:
// different suite digests or environments, an experiment in two journals, a
// shard given twice, or a shard of I/N missing.
RunResult merge_journals(const std::vector<ShardJournal>& shards);

}  // namespace chaosgate
