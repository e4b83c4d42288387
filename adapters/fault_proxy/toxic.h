#pragma once
// What a toxic is (kind, direction, toxicity, attributes) and its JSON, with
// Toxiproxy's defaults: name = type_stream, stream = downstream, toxicity = 1.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <regex>
#include <string>

namespace chaosgate::fault_proxy {

enum class Stream { upstream, downstream };  // upstream: client -> upstream server

enum class ToxicKind {
  latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data,  // Toxiproxy's
  http_status, http_delay, drop_connect,                                     // ours
};

struct Toxic {
  std::string name;
  ToxicKind kind = ToxicKind::latency;
  Stream stream = Stream::downstream;
  double toxicity = 1.0;
  nlohmann::json attributes;  // every attribute of the kind, defaults filled in

  // Numeric attribute (0 when absent).
  std::int64_t number(const char* key) const;
  std::string text(const char* key) const;
  // http_status / http_delay: does the request path match path_prefix and path_regex?
  bool matches_path(const std::string& path) const;
  // HTTP-aware toxics roll their toxicity per request, the others per connection.
  bool per_request() const { return kind == ToxicKind::http_status || kind == ToxicKind::http_delay; }

  std::shared_ptr<const std::regex> path_regex;  // compiled once
};

// A new toxic from a POST body. Throws ApiError: 400 for a bad body, an
// unknown type or stream, a negative or mistyped attribute.
Toxic toxic_from_json(const nlohmann::json& body);
// `current` with the body's toxicity / attributes applied (POST .../toxics/NAME).
Toxic toxic_updated(const Toxic& current, const nlohmann::json& body);
nlohmann::json to_json(const Toxic& toxic);

const char* stream_name(Stream stream);

}  // namespace chaosgate::fault_proxy
