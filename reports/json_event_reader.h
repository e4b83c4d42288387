#pragma once
// A JSON reader for large files (journals of ~200 MB): it hands the same SAX
// events as nlohmann::json::sax_parse to the same handler, but scans strings
// and whitespace a buffer at a time instead of one character per virtual-free
// but bookkeeping-heavy call (nlohmann's lexer was half of reading a journal).
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

namespace chaosgate {

// Reads one JSON document (RFC 8259, strict: a UTF-8 BOM may lead, nothing but
// whitespace may follow) from `file`, which is read to its end in 1 MiB chunks.
// Accepts and refuses what nlohmann's parser does; a syntax error is reported
// to handler.parse_error with the byte position of the offending character
// (1-based, counted from the file's start) as a json::parse_error. Returns
// false when the document is malformed or a handler call returned false. A
// read error ends the input (the caller checks std::ferror).
bool read_json_events(std::FILE* file, nlohmann::json_sax<nlohmann::json>& handler);

// The same for a document in memory (a record of the journal spool), read in
// place.
bool read_json_events(std::string_view text, nlohmann::json_sax<nlohmann::json>& handler);

// One document read in two parts, each by its own handler (on its own thread:
// reports/journal_records.cpp): a place where a value starts, at byte `at`
// (0-based) inside the containers `open` (outermost first; true: an object),
// the innermost of which is an array: the value is one of its elements.
struct JsonSplit {
  std::size_t at = 0;
  std::vector<bool> open;
};

enum class FirstPart { failed, stopped_at_split, missed_split, whole_document };

// Reads from the start of `file` as read_json_events does, but stops before
// the value at `split`; or at the first value after it, when no value starts
// at split.at inside exactly split.open (missed_split: the split was guessed
// wrong). A document that ends before split.at is read whole.
FirstPart read_json_events_until(std::FILE* file, nlohmann::json_sax<nlohmann::json>& handler, const JsonSplit& split);

// Reads the rest of the document: `file` is positioned at split.at, where a
// value starts inside split.open. Error positions count from the file's start.
bool read_json_events_from(std::FILE* file, nlohmann::json_sax<nlohmann::json>& handler, const JsonSplit& split);

}  // namespace chaosgate
