// Feeds arbitrary bytes to the whole loader, as JSON and as YAML: it must
// report, never crash, hang or leak (run under ASan + UBSan). Text that is
// JSON is also read by both tree readers, whose trees must be the same, and
// with its experiments deferred, which must change nothing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "load/suite_loader.h"
#include "load/tree_readers.h"
#include "support/tree_difference.h"
#include "support/yaml_cpp_tree.h"
#include "util/text.h"

namespace {

bool has_lone_carriage_return(const std::string& content) {
  for (std::size_t i = 0; i < content.size(); ++i)
    if (content[i] == '\r' && (i + 1 == content.size() || content[i + 1] != '\n')) return true;
  return false;
}

// Our JSON reader and yaml-cpp must agree wherever yaml-cpp reads the text at
// all (it refuses surrogate pairs and keys over 1,024 characters) and reads it
// right (it keeps a lone CR in the next number: json_tree_test). parse_document
// rejects a byte order mark, NUL bytes and invalid UTF-8 before either reader
// runs (yaml-cpp's stream ends at a NUL; found by this fuzzer).
void compare_json_readers(const std::string& content) {
  if (content.rfind("\xEF\xBB\xBF", 0) == 0 || content.find('\0') != std::string::npos ||
      chaosgate::find_invalid_utf8(content).has_value() || has_lone_carriage_return(content) || !nlohmann::json::accept(content))
    return;
  const chaosgate::FileName file("fuzz.json");
  chaosgate::Diagnostics ours_diagnostics;
  chaosgate::Diagnostics yaml_cpp_diagnostics;
  const auto ours = chaosgate::tree_from_json(file, content, ours_diagnostics, {});
  const auto theirs = chaosgate::test::tree_from_yaml_cpp(file, content, yaml_cpp_diagnostics, {});
  if (ours && theirs && !chaosgate::test::first_difference(*ours, *theirs).empty()) std::abort();
  // The loader's deferred reading of a suite's experiments gives the same elements and errors.
  if (!chaosgate::test::deferral_difference(content).empty()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string content(reinterpret_cast<const char*>(data), size);
  chaosgate::LoadOptions options;
  options.process_variables = [](const std::string& name) -> std::optional<std::string> {
    if (name == "SET") return std::string("value");
    return std::nullopt;
  };
  for (const char* format : {"yaml", "json"}) {
    const auto result = chaosgate::load_suite({{"fuzz", content, format}}, options);
    (void)result.ok();
  }
  compare_json_readers(content);
  return 0;
}
