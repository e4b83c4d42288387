#include "journal_file.h"

#include <cerrno>
#include <cstring>
#include <cstdio>
#include <memory>
#include <stdexcept>
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
    std::string indent;
    const std::size_t open = open_array(file, header, 0, "experiments", indent);
    const std::size_t depth = indent.size() + 2;
    if (spool != nullptr && depth != JournalSpool::k_record_indent)
      throw std::logic_error("journal records are spooled " + std::to_string(JournalSpool::k_record_indent) +
                             " spaces deep, written " + std::to_string(depth));
    std::string element;
    for (std::size_t i = 0; i < run.experiments.size(); ++i) {
      element.assign(i == 0 ? "\n" : ",\n");
      element.append(depth, ' ');
      if (spool != nullptr && spool->has(i)) {
        file.append(element);
        spool->append_record(file, i);
        continue;
      }
      JsonText out(element, depth);
      write_experiment_record(out, run.experiments[i]);
      file.append(element);
    }
    close_array(file, false, indent);
    file.append(std::string_view(header).substr(open + 2));
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
