#pragma once
// A JSON reader for large files (journals of ~200 MB): it hands the same SAX
// events as nlohmann::json::sax_parse to the same handler, but scans strings
// and whitespace a buffer at a time instead of one character per virtual-free
// but bookkeeping-heavy call (nlohmann's lexer was half of reading a journal).
#include <cstdio>
#include <nlohmann/json.hpp>

namespace chaosgate {

// Reads one JSON document (RFC 8259, strict: a UTF-8 BOM may lead, nothing but
// whitespace may follow) from `file`, which is read to its end in 1 MiB chunks.
// Accepts and refuses what nlohmann's parser does; a syntax error is reported
// to handler.parse_error with the byte position of the offending character
// (1-based, counted from the file's start) as a json::parse_error. Returns
// false when the document is malformed or a handler call returned false. A
// read error ends the input (the caller checks std::ferror).
bool read_json_events(std::FILE* file, nlohmann::json_sax<nlohmann::json>& handler);

}  // namespace chaosgate
