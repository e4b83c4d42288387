// Feeds arbitrary bytes to the whole loader, as JSON and as YAML: it must
// report, never crash, hang or leak (run under ASan + UBSan).
#include <cstddef>
#include <cstdint>
#include <string>

#include "load/suite_loader.h"

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
  return 0;
}
