// The registry: which source serves a spec, decided by its prefix. An explicit
// table rather than static self-registration, which a static link can drop.
#include <array>

#include "sources/source_factories.h"
#include "util/errors.h"

namespace chaosgate::sources {
namespace {

using Factory = std::unique_ptr<SuiteSource> (*)(const std::string&, std::shared_ptr<http::HttpClient>);

struct Entry {
  std::string_view prefix;
  Factory factory;
};

constexpr std::array<Entry, 3> k_sources = {{
    {"https://", make_http_source},
    {"http://", make_http_source},
    {"gitlab://", make_gitlab_source},
}};

}  // namespace

std::unique_ptr<SuiteSource> make_suite_source(const std::string& spec,
                                               std::shared_ptr<http::HttpClient> client) {
  for (const auto& entry : k_sources) {
    if (spec.starts_with(entry.prefix)) return entry.factory(spec, std::move(client));
  }
  if (spec.empty()) throw UserError("empty suite source");
  if (spec.find("://") != std::string::npos) {
    throw UserError(spec.substr(0, spec.find("://") + 3) +
                    "...: unsupported suite source (use a path, http(s):// or gitlab://)");
  }
  return make_file_source(spec);
}

}  // namespace chaosgate::sources
