#include "journal_samples.h"

#include <string_view>

namespace chaosgate {

namespace {

using nlohmann::json;

// The exception json::at() throws for a missing key.
[[noreturn]] void missing(const char* key) {
  throw json::out_of_range::create(403, std::string("key '") + key + "' not found", static_cast<const json*>(nullptr));
}

template <typename T>
void optional_field(const json& in, bool present, T& out) {
  if (present && !in.is_null()) in.get_to(out);
}

}  // namespace

void SampleArrayReader::start(std::vector<ProbeSample>& into) {
  m_into = &into;
  m_depth = 0;
}

void SampleArrayReader::scalar(json&& v) {
  // A sample that is not an object fails as from_json would fail on it.
  if (m_depth == 0) (void)v.get<ProbeSample>();
  if (m_depth == 1 && m_field != unknown) {
    m_fields[m_field] = std::move(v);
    m_present[m_field] = true;
    if (m_field == at) m_at_is_text = false;
    if (m_field == observed) m_observed_is_text = false;
  }
}

void SampleArrayReader::string(std::string& text) {
  if (m_depth == 1 && m_field == at) {
    m_at_text.assign(text);
    m_at_is_text = m_present[at] = true;
  } else if (m_depth == 1 && m_field == observed) {
    m_observed_text.assign(text);
    m_observed_is_text = m_present[observed] = true;
  } else {
    scalar(json(std::move(text)));
  }
}

void SampleArrayReader::key(std::string& name) {
  if (m_depth != 1) return;
  static constexpr std::string_view k_names[field_count] = {"at", "ok", "reached", "value", "latencyMs", "observed"};
  m_field = unknown;
  for (int f = 0; f < field_count; ++f)
    if (name == k_names[f]) m_field = static_cast<Field>(f);
}

void SampleArrayReader::open(json::value_t container) {
  if (m_depth == 0 && container != json::value_t::object) (void)json(container).get<ProbeSample>();
  if (m_depth == 0)
    for (bool& present : m_present) present = false;
  // A known field holding a container: only its type matters (it is refused
  // as from_json refuses it), so its content is skipped.
  if (m_depth == 1 && m_field != unknown) {
    m_fields[m_field] = json(container);
    m_present[m_field] = true;
    if (m_field == at) m_at_is_text = false;
    if (m_field == observed) m_observed_is_text = false;
  }
  ++m_depth;
}

void SampleArrayReader::close() {
  if (m_depth == 0) {
    m_into = nullptr;
    return;
  }
  if (--m_depth == 0) finish_sample();
}

// The checks and order of from_json(ProbeSample), on the fields as read.
void SampleArrayReader::finish_sample() {
  ProbeSample sample;
  if (!m_present[at]) missing("at");
  if (m_at_is_text)
    sample.at = parse_time(m_at_text);
  else if (m_fields[at].is_string())
    sample.at = parse_time(m_fields[at].get_ref<const std::string&>());
  else
    (void)m_fields[at].get<std::string>();  // throws as from_json does
  if (!m_present[ok]) missing("ok");
  m_fields[ok].get_to(sample.ok);
  optional_field(m_fields[reached], m_present[reached], sample.reached);
  optional_field(m_fields[value], m_present[value], sample.value);
  optional_field(m_fields[latency_ms], m_present[latency_ms], sample.latency_ms);
  if (m_present[observed] && m_observed_is_text)
    sample.observed = m_observed_text;
  else if (m_present[observed] && m_fields[observed].is_string())
    sample.observed = std::move(m_fields[observed].get_ref<std::string&>());
  else
    optional_field(m_fields[observed], m_present[observed], sample.observed);
  m_into->push_back(std::move(sample));
}

}  // namespace chaosgate
