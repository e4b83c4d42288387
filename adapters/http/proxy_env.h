#pragma once
// Whether libcurl would send a request for `host` through a proxy named in the
// environment: then only libcurl may carry it.
#include <functional>
#include <optional>
#include <string>

namespace chaosgate::http {

// Reads one environment variable; nullopt when it is not set.
using EnvLookup = std::function<std::optional<std::string>(const char* name)>;

// The process environment.
std::optional<std::string> process_env(const char* name);

// True when http_proxy, HTTP_PROXY, all_proxy or ALL_PROXY is set (non-empty)
// and no_proxy / NO_PROXY does not exempt `host` ("*", the host itself, or a
// domain it is in: "example.com" and ".example.com" both exempt
// "api.example.com"). Errs towards true: a no_proxy form not understood here
// (CIDR ranges, ports) does not exempt, so libcurl, which knows them all, decides.
// HTTP_PROXY counts although libcurl ignores it for http:// URLs: that only
// sends more requests to libcurl, never one around a proxy.
bool proxy_may_apply(const std::string& host, const EnvLookup& env = process_env);

}  // namespace chaosgate::http
