#include "journal_file.h"

#include <cerrno>
#include <cstring>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "journal_records.h"
#include "journal_spool.h"
#include "journal_text.h"
#include "json_stream.h"
#include "util/atomic_file.h"
#include "util/errors.h"

namespace chaosgate {

using nlohmann::json;

// Written one experiment at a time, byte for byte what json(run).dump(2)
// would give, without holding the whole document (a 10,000-experiment journal
// is ~200 MB of text). A record in `spool` is copied from there.
void write_journal(const RunResult& run, const std::string& path, const JournalSpool* spool) {
  AtomicFile file(path);
  if (run.experiments.empty()) {
    file.append(dump_json(json(run)));
  } else {
    const std::string header = dump_json(run_header_json(run));
    std::size_t next = 0;
    std::string spooled;
    const std::size_t rest = append_array_text(file, header, 0, "experiments", [&](JsonText& element) {
      if (next == run.experiments.size()) return false;
      if (spool != nullptr && spool->read(next, spooled)) element.written(spooled, JournalSpool::k_record_indent);
      else write_experiment_record(element, run.experiments[next]);
      ++next;
      return true;
    });
    file.append(std::string_view(header).substr(rest));
  }
  file.append("\n");
  file.commit();
}

RunResult read_journal(const std::string& path) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rbe"), &std::fclose);
  if (!file) throw UserError(path + ": cannot read journal: " + std::strerror(errno));
  JournalDocument document;
  std::string error;
  bool parsed = false;
  try {
    parsed = read_journal_document(file.get(), document, error);
  } catch (const std::exception& e) {
    throw UserError(path + ": not a journal: " + e.what());
  }
  if (std::ferror(file.get()) != 0) throw UserError(path + ": cannot read journal: read error");
  if (!parsed) {
    const bool syntax = error.rfind("invalid JSON", 0) == 0;
    throw UserError(path + (syntax ? ": not a journal: " : ": malformed journal: ") + error);
  }
  if (!document.header.is_object()) throw UserError(path + ": not a journal: the document is not a JSON object");
  try {
    RunResult run = document.header.get<RunResult>();
    run.experiments = std::move(document.experiments);
    return run;
  } catch (const nlohmann::json::exception& e) {
    throw UserError(path + ": malformed journal: " + e.what());
  } catch (const std::exception& e) {
    throw UserError(path + ": " + e.what());
  }
}

}  // namespace chaosgate
