#pragma once
// --dry-run for calls to trackers: reads (GET, HEAD) go to the server, since
// whether a ticket already exists decides what would be sent; every other
// request is printed instead of sent (headers and body redacted, the body
// capped) and answered with a stand-in success that the adapters accept
// (a JSON object with the fields their create calls read).
#include <memory>
#include <ostream>

#include "http/http_client.h"

namespace chaosgate::http {

// `out` must outlive the client.
std::unique_ptr<HttpClient> make_dry_run_client(std::shared_ptr<HttpClient> reads, std::ostream& out);

}  // namespace chaosgate::http
