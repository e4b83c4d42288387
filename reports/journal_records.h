#pragma once
// A journal read from the parser's events: the run's header as a small JSON
// document, its experiments decoded field by field as they complete (no JSON
// object for each experiment, attempt, probe or action: building and freeing
// those was most of reading a large journal). Decoding is
// model/run_result_decode.h's, so it accepts and refuses what from_json does,
// with the same messages.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "model/run_result.h"

namespace chaosgate {

struct JournalDocument {
  nlohmann::json header;  // the document, its "experiments" an empty array
  std::vector<ExperimentResult> experiments;
};

// Reads the JSON document of `file` into `out`. Returns false with `error`
// set when it is not JSON ("invalid JSON at byte N (...)") or an experiment
// cannot be decoded ("experiment #N: ..."). Throws what read_json_events
// throws.
bool read_journal_document(std::FILE* file, JournalDocument& out, std::string& error);

// Decodes one experiment record (an element of a journal's "experiments", as
// the journal spool keeps it) as read_journal_document would; with
// `with_attempts` false its "attempts" are left empty (cut out of the text
// unread when it is laid out as write_experiment_record prints it). Returns
// false with `error` set, `out` untouched, when it is not JSON ("invalid JSON
// at byte N (...)") or not a record from_json would decode (its message).
bool read_experiment_record(std::string_view record, ExperimentResult& out, std::string& error, bool with_attempts = true);

// Reads the journal `file` is open on in two parts at once (each through its
// own reading of the same file, `file` itself left where it is), the second
// on another thread from byte `at`, which must be where an element of the
// root's "experiments" array starts (the caller's guess: it is checked).
// Returns false, `out` untouched, when the guess was wrong or either part
// could not be read (not JSON, an experiment that cannot be decoded, a read
// error, no /proc): the caller reads the journal whole, and its error is the
// one to report.
bool read_journal_document_in_two(std::FILE* file, std::size_t at, JournalDocument& out);

}  // namespace chaosgate
