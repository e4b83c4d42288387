#include "fault_proxy/toxic.h"

#include <array>
#include <utility>

#include "fault_proxy/api_error.h"
#include "util/json_integer.h"

namespace chaosgate::fault_proxy {
namespace {

struct KindInfo {
  ToxicKind kind;
  const char* type;
  const char* defaults;  // JSON: every attribute with its default
};

// Attribute names and units are Toxiproxy's (latency/jitter/delay in ms, rate in
// KB/s, slicer delay in microseconds); http_* and drop_connect are ours.
const std::array<KindInfo, 10> k_kinds = {{
    {ToxicKind::latency, "latency", R"({"latency":0,"jitter":0})"},
    {ToxicKind::bandwidth, "bandwidth", R"({"rate":0})"},
    {ToxicKind::slow_close, "slow_close", R"({"delay":0})"},
    {ToxicKind::timeout, "timeout", R"({"timeout":0})"},
    {ToxicKind::reset_peer, "reset_peer", R"({"timeout":0})"},
    {ToxicKind::slicer, "slicer", R"({"average_size":0,"size_variation":0,"delay":0})"},
    {ToxicKind::limit_data, "limit_data", R"({"bytes":0})"},
    {ToxicKind::http_status, "http_status", R"({"status":503,"body":"","path_prefix":"","path_regex":""})"},
    {ToxicKind::http_delay, "http_delay", R"({"delay":0,"path_prefix":"","path_regex":""})"},
    {ToxicKind::drop_connect, "drop_connect", R"({})"},
}};

const KindInfo& info(ToxicKind kind) {
  for (const auto& k : k_kinds)
    if (k.kind == kind) return k;
  return k_kinds[0];
}

// Overlays the known attributes of `given` onto `attributes`, checking types;
// unknown attributes are ignored as Toxiproxy does.
void apply_attributes(Toxic& toxic, const nlohmann::json& given) {
  if (given.is_null()) return;
  if (!given.is_object()) throw bad_request_body("attributes must be an object");
  for (auto& [key, value] : toxic.attributes.items()) {
    if (!given.contains(key)) continue;
    const auto& v = given.at(key);
    if (value.is_string()) {
      if (!v.is_string()) throw bad_request_body("attribute " + key + " must be a string");
      value = v;
    } else {
      if (!v.is_number()) throw bad_request_body("attribute " + key + " must be a number");
      if (v.get<double>() < 0) throw bad_request_body("attribute " + key + " must not be negative");
      try {
        value = json_integer<std::int64_t>(v);
      } catch (const nlohmann::json::exception&) {
        throw bad_request_body("attribute " + key + " is too large");
      }
    }
  }
  if (toxic.kind == ToxicKind::http_status) {
    const auto status = toxic.number("status");
    if (status < 100 || status > 599) throw bad_request_body("attribute status must be 100..599");
  }
  toxic.path_regex.reset();
  if (toxic.attributes.contains("path_regex") && !toxic.text("path_regex").empty()) {
    try {
      toxic.path_regex = std::make_shared<const std::regex>(toxic.text("path_regex"), std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      throw bad_request_body("attribute path_regex: " + std::string(e.what()));
    }
  }
}

void apply_toxicity(Toxic& toxic, const nlohmann::json& body) {
  if (!body.contains("toxicity")) return;
  const auto& t = body.at("toxicity");
  if (!t.is_number()) throw bad_request_body("toxicity must be a number");
  const double value = t.get<double>();
  if (value < 0 || value > 1) throw bad_request_body("toxicity must be between 0 and 1");
  toxic.toxicity = value;
}

std::string optional_string(const nlohmann::json& body, const char* key) {
  if (!body.contains(key) || body.at(key).is_null()) return {};
  if (!body.at(key).is_string()) throw bad_request_body(std::string(key) + " must be a string");
  return body.at(key).get<std::string>();
}

}  // namespace

const char* stream_name(Stream stream) { return stream == Stream::upstream ? "upstream" : "downstream"; }

std::int64_t Toxic::number(const char* key) const {
  const auto it = attributes.find(key);
  return it != attributes.end() && it->is_number() ? it->get<std::int64_t>() : 0;
}

std::string Toxic::text(const char* key) const {
  const auto it = attributes.find(key);
  return it != attributes.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool Toxic::matches_path(const std::string& path) const {
  const std::string prefix = text("path_prefix");
  if (!prefix.empty() && path.compare(0, prefix.size(), prefix) != 0) return false;
  return !path_regex || std::regex_search(path, *path_regex);
}

Toxic toxic_from_json(const nlohmann::json& body) {
  if (!body.is_object()) throw bad_request_body("expected a JSON object");
  Toxic toxic;
  const std::string type = optional_string(body, "type");
  const KindInfo* found = nullptr;
  for (const auto& k : k_kinds)
    if (type == k.type) found = &k;
  if (found == nullptr) throw invalid_toxic_type();
  toxic.kind = found->kind;
  const std::string stream = optional_string(body, "stream");
  if (stream.empty() || stream == "downstream") toxic.stream = Stream::downstream;
  else if (stream == "upstream") toxic.stream = Stream::upstream;
  else throw invalid_stream();
  toxic.name = optional_string(body, "name");
  if (toxic.name.empty()) toxic.name = type + "_" + stream_name(toxic.stream);
  apply_toxicity(toxic, body);
  toxic.attributes = nlohmann::json::parse(found->defaults);
  apply_attributes(toxic, body.contains("attributes") ? body.at("attributes") : nlohmann::json());
  return toxic;
}

Toxic toxic_updated(const Toxic& current, const nlohmann::json& body) {
  if (!body.is_object()) throw bad_request_body("expected a JSON object");
  Toxic toxic = current;
  apply_toxicity(toxic, body);
  apply_attributes(toxic, body.contains("attributes") ? body.at("attributes") : nlohmann::json());
  return toxic;
}

nlohmann::json to_json(const Toxic& toxic) {
  return {{"name", toxic.name},
          {"type", info(toxic.kind).type},
          {"stream", stream_name(toxic.stream)},
          {"toxicity", toxic.toxicity},
          {"attributes", toxic.attributes}};
}

}  // namespace chaosgate::fault_proxy
