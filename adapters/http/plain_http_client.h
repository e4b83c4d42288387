#pragma once
// A small HTTP/1.1 client over plain sockets for `http://` URLs, so that a
// probe of a plain-HTTP endpoint does not load libcurl and its ~35 shared
// libraries (most of a small run's time). It behaves as the libcurl client
// does for what it carries: the same total and connect timeouts (name
// resolution counts against the connect timeout), latency from the start of
// send() to the last byte, lower-cased headers, the body limit, the same
// default request headers, a new connection per request, and the same failure
// kinds (resolve, connect, timeout, too_large, bad_request, other).
#include <memory>

#include "http/http_client.h"

namespace chaosgate::http {

// Sends `http://` requests itself, one hop: a 3xx is returned as the response,
// whatever `follow_redirects` says, and proxies in the environment are not
// consulted; make_http_client() gives it only requests where both hold. A URL
// that parse_plain_url() refuses is a bad_request Failure. `options` supplies
// the User-Agent (TLS settings do not apply). Safe to share between threads.
std::unique_ptr<HttpClient> make_plain_http_client(const ClientOptions& options = {});

// The client for probes and actions: make_plain_http_client() for requests it
// carries exactly as libcurl would (a URL parse_plain_url() accepts, no
// redirect to follow, no proxy from the environment, see proxy_may_apply()),
// the libcurl client (created with `options`, loaded at its first request)
// for every other request.
std::unique_ptr<HttpClient> make_http_client(const ClientOptions& options = {});

}  // namespace chaosgate::http
