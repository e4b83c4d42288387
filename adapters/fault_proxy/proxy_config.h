#pragma once
// The proxy config file: Toxiproxy's format, a JSON array of
// {"name", "listen", "upstream", "enabled"} (${VAR} allowed in strings).
#include <string>
#include <vector>

#include "model/source_location.h"

namespace chaosgate::fault_proxy {

struct ConfiguredProxy {
  std::string name;
  std::string listen;
  std::string upstream;
  bool enabled = true;
  SourceLocation location;  // where the entry starts, for errors found later (bind)
};

// Reads and checks the whole file. Throws UserError (exit 2) listing every
// problem as file:line:col: path: message (unreadable file, bad JSON, missing
// or mistyped field, unknown field, duplicate name).
std::vector<ConfiguredProxy> read_proxy_config(const std::string& path);

}  // namespace chaosgate::fault_proxy
