#include <iostream>

#include "cli/command.h"

namespace chaosgate {
extern const char* const k_suite_schema_text;  // generated from gate/model/suite.schema.json
}

namespace chaosgate::cli {

CommandSpec schema_command() {
  return {"schema", "Print the JSON Schema (2020-12) of the suite format",
          "  chaosgate schema > chaosgate-suite.schema.json\n"
          "  # VS Code / yaml-language-server: # yaml-language-server: $schema=./chaosgate-suite.schema.json",
          [](CLI::App&) {
            return [] {
              std::cout << k_suite_schema_text;
              return 0;
            };
          }};
}

}  // namespace chaosgate::cli
