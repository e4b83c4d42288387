#pragma once
// Reads one probe's "samples" array of a journal straight from the parser's
// SAX events into ProbeSamples: samples are most of a journal's values, and a
// JSON DOM for each of them (a map per sample) was a fifth of reading one.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/run_result.h"

namespace chaosgate {

// Accepts and refuses exactly what from_json(ProbeSample) does, with the same
// nlohmann exceptions (thrown from the event that completes a sample).
class SampleArrayReader {
public:
  // The "samples" array has just opened; its samples are appended to `into`.
  void start(std::vector<ProbeSample>& into);
  bool active() const { return m_into != nullptr; }

  void scalar(nlohmann::json&& value);
  // A string value; "at" and "observed" are kept as text in reused buffers
  // (no JSON value, no allocation per sample once they have grown).
  void string(std::string& text);
  void key(std::string& name);
  void open(nlohmann::json::value_t container);  // object or array
  void close();  // closing the samples array itself ends the reader

private:
  enum Field { at, ok, reached, value, latency_ms, observed, field_count, unknown = field_count };
  void finish_sample();

  std::vector<ProbeSample>* m_into = nullptr;
  int m_depth = 0;  // 0: between samples; 1: in a sample; more: in a container inside one
  Field m_field = unknown;
  nlohmann::json m_fields[field_count];
  bool m_present[field_count] = {};
  // "at" / "observed" when they are strings (their m_fields unused).
  bool m_at_is_text = false, m_observed_is_text = false;
  std::string m_at_text, m_observed_text;
};

}  // namespace chaosgate
