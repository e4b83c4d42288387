// Feeds arbitrary bytes to the journal reader (reports/journal_records: the
// JSON reader's events decoded without a DOM): it must report, never crash,
// hang or leak (run under ASan + UBSan). What it reads must be what
// json::parse + from_json read from the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "journal_records.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using nlohmann::json;
  std::string bytes(reinterpret_cast<const char*>(data), size);
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
  return 0;
}
