#pragma once
// Journals named on the command line (files, or run directories holding a
// journal.json), read and put in the order the runs started.
#include <string>
#include <vector>

#include "insight/promotion.h"

namespace chaosgate::cli {

// Oldest run first. Throws UserError naming the file when one cannot be read.
std::vector<insight::JournalRun> read_journals(const std::vector<std::string>& paths);

}  // namespace chaosgate::cli
