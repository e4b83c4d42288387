#pragma once
// How a journal's records (experiment, its description, attempt, probe,
// action) are decoded, written once over any source of fields: a JSON object
// (from_json in run_result.cpp) or the fields the journal reader collected
// from the parser's events without building that object
// (reports/journal_records.cpp). Both must accept, refuse and report alike.
//
// A source `In` offers, for a member name:
//   at(key)          the member, or throws what json::at throws when absent
//   find(key)        the member, or nullptr when absent
//   list(key, out)   "absent or null: leave `out`; else decode the array into it"
//   record(key, out) "at(key), decoded into `out`"
// A source whose at/find return a mutable json may have strings moved out.
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>
#include <utility>

#include "model/run_result.h"
#include "util/json_integer.h"

namespace chaosgate::decode {

// Decodes `in` into `out` as get_to does; a string it may take is moved.
template <typename Json, typename T>
void assign(Json& in, T& out) {
  if constexpr (std::is_same_v<T, std::string> && !std::is_const_v<Json>) {
    if (in.is_string()) {
      out = std::move(in.template get_ref<std::string&>());
      return;
    }
  }
  in.get_to(out);
}

template <typename In, typename T>
void required(In& in, const char* key, T& out) {
  assign(in.at(key), out);
}

template <typename In, typename T>
void optional(In& in, const char* key, T& out) {
  if (auto* value = in.find(key); value != nullptr && !value->is_null()) assign(*value, out);
}

// A timestamp member: required, a string of format_time's shape.
template <typename In>
TimePoint time(In& in, const char* key) {
  const auto& value = in.at(key);
  return value.is_string() ? parse_time(value.template get_ref<const std::string&>()) : parse_time(value.template get<std::string>());
}

// "durationMs": 0 when absent (json::value's semantics on an object).
template <typename In>
std::chrono::milliseconds duration(In& in) {
  const auto* value = in.find("durationMs");
  return std::chrono::milliseconds(value != nullptr ? json_integer<long long>(*value) : 0LL);
}

template <typename In>
void probe_result(In& in, ProbeResult& v) {
  required(in, "probe", v.probe);
  required(in, "phase", v.phase);
  required(in, "ok", v.ok);
  optional(in, "expected", v.expected);
  optional(in, "observed", v.observed);
  v.started = time(in, "started");
  v.duration = duration(in);
  in.list("samples", v.samples);
}

template <typename In>
void action_record(In& in, ActionRecord& v) {
  required(in, "action", v.action);
  optional(in, "rollback", v.rollback);
  required(in, "ok", v.ok);
  optional(in, "detail", v.detail);
  v.started = time(in, "started");
  v.duration = duration(in);
}

template <typename In>
void attempt(In& in, Attempt& v) {
  v.number = json_integer<int>(in.at("number"));
  required(in, "verdict", v.verdict);
  optional(in, "reason", v.reason);
  v.started = time(in, "started");
  v.duration = duration(in);
  in.list("probes", v.probes);
  in.list("actions", v.actions);
}

template <typename In>
void experiment_info(In& in, ExperimentInfo& v) {
  required(in, "id", v.id);
  optional(in, "title", v.title);
  optional(in, "owner", v.owner);
  optional(in, "service", v.service);
  optional(in, "targets", v.targets);
  optional(in, "hypothesis", v.hypothesis);
  optional(in, "incidentCategory", v.incident_category);
  optional(in, "incidentCategoryTitle", v.incident_category_title);
  optional(in, "incidents", v.incidents);
  optional(in, "attackGroup", v.attack_group);
  optional(in, "preparationCost", v.preparation_cost);
  optional(in, "status", v.status);
  if (const auto* risk = in.find("risk")) {
    v.likelihood = json_integer<int>(risk->at("likelihood"));
    v.impact = json_integer<int>(risk->at("impact"));
    risk->at("level").get_to(v.risk_level);
  }
  optional(in, "tags", v.tags);
  if (const auto* follow_up = in.find("followUp"))
    for (const auto& task : *follow_up) v.follow_up.emplace_back(task.at("title").template get<std::string>(), task.value("description", ""));
  if (const auto* location = in.find("location"))
    v.location = {location->value("file", ""), json_integer_or(*location, "line", 0), json_integer_or(*location, "column", 0)};
  optional(in, "definitionDigest", v.definition_digest);
}

template <typename In>
void experiment_result(In& in, ExperimentResult& v) {
  in.record("experiment", v.experiment);
  required(in, "verdict", v.verdict);
  optional(in, "reason", v.reason);
  optional(in, "deviatedProbe", v.deviated_probe);
  optional(in, "expected", v.expected);
  optional(in, "observed", v.observed);
  optional(in, "fingerprint", v.fingerprint);
  v.started = time(in, "started");
  v.duration = duration(in);
  in.list("attempts", v.attempts);
}

// The source over a JSON value (from_json's).
class JsonObject {
public:
  explicit JsonObject(const nlohmann::json& object) : m_object(object) {}
  const nlohmann::json& at(const char* key) const { return m_object.at(key); }
  const nlohmann::json* find(const char* key) const {
    const auto it = m_object.find(key);
    return it == m_object.end() ? nullptr : &*it;
  }
  template <typename T>
  void list(const char* key, T& out) const {
    optional(*this, key, out);
  }
  template <typename T>
  void record(const char* key, T& out) const {
    at(key).get_to(out);
  }

private:
  const nlohmann::json& m_object;
};

}  // namespace chaosgate::decode
