#pragma once
// Shared by the http and gitlab sources: one GET, errors mapped to the tiers.
#include <string>

#include "http/http_client.h"
#include "sources/suite_source.h"

namespace chaosgate::sources {

// Sends `request` and returns the 2xx response. Throws UserError (exit 2) for
// an HTTP error status ("<name>: HTTP 404 Not Found"), an oversize response,
// a TLS failure or a malformed URL; UnreachableError (exit 3) when the server
// cannot be reached (resolve, connect, timeout). `name` must be redacted.
http::Response fetch_ok(http::HttpClient& client, const http::Request& request,
                        const std::string& name);

// A SuiteFile from a response: format from the path's extension, else the
// Content-Type, else the content itself.
SuiteFile to_suite_file(std::string name, std::string_view path, http::Response response);

}  // namespace chaosgate::sources
