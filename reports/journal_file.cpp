#include "journal_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "journal_records.h"
#include "journal_spool.h"
#include "journal_text.h"
#include "model/experiment_results.h"
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
  const ExperimentResults results(run);
  if (results.empty()) {
    file.append(dump_json(json(run)));
  } else {
    const std::string header = dump_json(run_header_json(run, CoverageIds::left_out));
    std::size_t next = 0;
    std::string spooled;
    ExperimentResult scratch;
    const auto record = [&](JsonText& element) {
      if (next == results.size()) return false;
      if (spool != nullptr && spool->read(next, spooled)) element.written(spooled, JournalSpool::k_record_indent);
      else write_experiment_record(element, results.at(next, scratch));
      ++next;
      return true;
    };
    // The header's empty "experiments" arrays, in its text's order: the
    // records' (the root's member, two spaces deep) and each incident
    // category's ids, the categories in the run's order.
    std::size_t rest = 0;
    auto category = run.incident_coverage.begin();
    for (std::size_t arrays = run.incident_coverage.size() + 1; arrays > 0; --arrays) {
      std::string indent;
      find_empty_array(header, rest, "experiments", indent);
      if (indent.size() == 2) {
        rest = append_array_text(file, header, rest, "experiments", record);
        continue;
      }
      if (category == run.incident_coverage.end()) throw std::logic_error("journal header: an \"experiments\" array too many");
      auto id = category->experiments.begin();
      rest = append_array_text(file, header, rest, "experiments", [&](JsonText& element) {
        if (id == category->experiments.end()) return false;
        element.string(*id++);
        return true;
      });
      ++category;
    }
    file.append(std::string_view(header).substr(rest));
  }
  file.append("\n");
  file.commit();
}

namespace {

// Where to split a large journal to read it on two threads: the start of an
// experiment record near its middle, as write_journal indents them. A guess
// (the text could be anything), which read_journal_document_in_two checks.
std::optional<std::size_t> experiment_near_the_middle(std::FILE* file) {
  constexpr off_t k_worth_splitting = 8 << 20;  // ~400 experiments
  static const std::string k_between_records = "},\n" + std::string(JournalSpool::k_record_indent, ' ') + "{";
  struct stat status {};
  if (::fstat(::fileno(file), &status) != 0 || status.st_size < k_worth_splitting) return std::nullopt;
  const off_t middle = status.st_size / 2;
  std::string window(1 << 20, '\0');
  const ssize_t got = ::pread(::fileno(file), window.data(), window.size(), middle);
  if (got <= 0) return std::nullopt;
  window.resize(static_cast<std::size_t>(got));
  const std::size_t found = window.find(k_between_records);
  if (found == std::string::npos) return std::nullopt;
  return static_cast<std::size_t>(middle) + found + k_between_records.size() - 1;
}

}  // namespace

RunResult read_journal(const std::string& path) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rbe"), &std::fclose);
  if (!file) throw UserError(path + ": cannot read journal: " + std::strerror(errno));
  JournalDocument document;
  std::string error;
  bool parsed = false;
  // Half the time on two cores (~0.3 s of a 200 MB journal). Read whole when
  // that does not work out: its error, if any, is the one reported.
  if (const auto at = experiment_near_the_middle(file.get())) parsed = read_journal_document_in_two(file.get(), *at, document);
  try {
    if (!parsed) parsed = read_journal_document(file.get(), document, error);
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
