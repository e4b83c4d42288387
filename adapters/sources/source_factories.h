#pragma once
// Private to adapters/sources: the constructors the registry table points at.
#include <memory>
#include <string>

#include "sources/suite_source.h"

namespace chaosgate::sources {

// A local file or directory; `path` is used as given.
std::unique_ptr<SuiteSource> make_file_source(const std::string& path);

// An http:// or https:// URL.
std::unique_ptr<SuiteSource> make_http_source(const std::string& url,
                                              std::shared_ptr<http::HttpClient> client);

// A "gitlab://GROUP/PROJECT//PATH@REF" spec; throws UserError when malformed
// or when no API URL is configured.
std::unique_ptr<SuiteSource> make_gitlab_source(const std::string& spec,
                                                std::shared_ptr<http::HttpClient> client);

}  // namespace chaosgate::sources
