// Feeds arbitrary bytes to the journal reader (reports/journal_records: the
// JSON reader's events decoded without a DOM): it must report, never crash,
// hang or leak (run under ASan + UBSan). What it reads must be what
// json::parse + from_json read from the same bytes; read in two parts (split
// where an object element of an array starts) it must read the same or decline;
// each record read on its own must read as from_json reads it. What it read
// drawn as report.html must keep every text as text (no <script> element)
// and be valid UTF-8, whatever the journal held.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "html_report.h"
#include "journal_records.h"
#include "util/text.h"

namespace {

std::string dump(const chaosgate::JournalDocument& document) {
  nlohmann::json whole = document.header;
  whole["experiments"] = document.experiments;
  return whole.dump();
}

// Split at the middle one of the '{' that follow ',' or '[' (read_journal's
// guess is one of these in a journal it wrote); once per input: a thread each.
void check_reading_in_two(const std::string& bytes, const chaosgate::JournalDocument* whole) {
  std::vector<std::size_t> candidates;
  for (std::size_t at = 1; at < bytes.size(); ++at) {
    if (bytes[at] != '{') continue;
    std::size_t before = at - 1;
    while (before > 0 && (bytes[before] == ' ' || bytes[before] == '\n')) --before;
    if (bytes[before] == ',' || bytes[before] == '[') candidates.push_back(at);
  }
  if (candidates.empty()) return;
  // A file of its own (reopened through /proc by each part), not a memory stream.
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::tmpfile(), &std::fclose);
  if (!file || std::fwrite(bytes.data(), 1, bytes.size(), file.get()) != bytes.size() || std::fflush(file.get()) != 0) return;
  chaosgate::JournalDocument in_two;
  const bool read = chaosgate::read_journal_document_in_two(file.get(), candidates[candidates.size() / 2], in_two);
  if (read && (whole == nullptr || dump(in_two) != dump(*whole))) std::abort();
}

// `text` read as one experiment record (the journal spool's read-back,
// read_experiment_record), with and without its attempts: what from_json
// reads from the same bytes (without "attempts" for the second), or refused
// when from_json refuses them.
void check_record_alone(const std::string& text) {
  using nlohmann::json;
  const json parsed = json::parse(text, nullptr, false);
  for (const bool with_attempts : {true, false}) {
    chaosgate::ExperimentResult alone;
    std::string error;
    const bool read = chaosgate::read_experiment_record(text, alone, error, with_attempts);
    if (!read && error.empty()) std::abort();  // refused without a reason
    if (parsed.is_discarded()) {
      if (read) std::abort();
      continue;
    }
    json expected_from = parsed;
    if (!with_attempts && expected_from.is_object()) expected_from.erase("attempts");
    try {
      const auto expected = expected_from.get<chaosgate::ExperimentResult>();
      if (!read || json(alone) != json(expected)) std::abort();
    } catch (const json::exception&) {
      if (read) std::abort();
    }
  }
}

void check_html(const std::vector<chaosgate::ExperimentResult>& experiments) {
  chaosgate::RunResult run;
  run.experiments = experiments;
  const std::string page = chaosgate::html_report(run);
  if (page.find("<script") != std::string::npos) std::abort();
  if (chaosgate::find_invalid_utf8(page)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using nlohmann::json;
  std::string bytes(reinterpret_cast<const char*>(data), size);
  check_record_alone(bytes);
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(fmemopen(bytes.data(), bytes.size() + (size == 0 ? 1 : 0), "rb"),
                                                             &std::fclose);
  if (!file) return 0;
  chaosgate::JournalDocument document;
  std::string error;
  bool read = false;
  try {
    read = chaosgate::read_journal_document(file.get(), document, error);
  } catch (const std::exception&) {
    return 0;
  }
  check_reading_in_two(bytes, read ? &document : nullptr);
  if (read) check_html(document.experiments);
  if (!read || !document.header.is_object()) return 0;
  // Read without error: the DOM path reads the same experiments.
  const json parsed = json::parse(bytes, nullptr, false);
  if (parsed.is_discarded()) std::abort();
  if (!parsed.contains("experiments") || !parsed["experiments"].is_array()) {
    if (!document.experiments.empty()) std::abort();
    return 0;
  }
  try {
    const auto experiments = parsed["experiments"].get<std::vector<chaosgate::ExperimentResult>>();
    if (json(experiments) != json(document.experiments)) std::abort();
  } catch (const json::exception&) {
    std::abort();
  }
  for (const auto& record : parsed["experiments"]) check_record_alone(record.dump());
  return 0;
}
