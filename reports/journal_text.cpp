#include "journal_text.h"

#include "model/enums.h"

namespace chaosgate {

namespace {

long long ms(std::chrono::milliseconds duration) { return static_cast<long long>(duration.count()); }

// Members in the order dump prints them: sorted by name.
void write_sample(JsonText& out, const ProbeSample& sample) {
  out.object();
  out.member("at", format_time(sample.at));
  out.key("latencyMs").real(sample.latency_ms);
  out.member("observed", sample.observed);
  out.key("ok").boolean(sample.ok);
  out.key("reached").boolean(sample.reached);
  out.key("value").real(sample.value);
  out.end();
}

void write_probe(JsonText& out, const ProbeResult& probe) {
  out.object();
  out.member("durationMs", ms(probe.duration));
  out.member("expected", probe.expected);
  out.member("observed", probe.observed);
  out.key("ok").boolean(probe.ok);
  out.member("phase", enum_name(probe.phase));
  out.member("probe", probe.probe);
  out.key("samples").array();
  for (const auto& sample : probe.samples) write_sample(out, sample);
  out.end();
  out.member("started", format_time(probe.started));
  out.end();
}

void write_action(JsonText& out, const ActionRecord& action) {
  out.object();
  out.member("action", action.action);
  out.member("detail", action.detail);
  out.member("durationMs", ms(action.duration));
  out.key("ok").boolean(action.ok);
  out.key("rollback").boolean(action.rollback);
  out.member("started", format_time(action.started));
  out.end();
}

void write_attempt(JsonText& out, const Attempt& attempt) {
  out.object();
  out.key("actions").array();
  for (const auto& action : attempt.actions) write_action(out, action);
  out.end();
  out.member("durationMs", ms(attempt.duration));
  out.member("number", static_cast<long long>(attempt.number));
  out.key("probes").array();
  for (const auto& probe : attempt.probes) write_probe(out, probe);
  out.end();
  out.member("reason", attempt.reason);
  out.member("started", format_time(attempt.started));
  out.member("verdict", enum_name(attempt.verdict));
  out.end();
}

void write_info(JsonText& out, const ExperimentInfo& info) {
  out.object();
  out.member("attackGroup", enum_name(info.attack_group));
  out.member("definitionDigest", info.definition_digest);
  out.key("followUp").array();
  for (const auto& [title, description] : info.follow_up) {
    out.object();
    out.member("description", description);
    out.member("title", title);
    out.end();
  }
  out.end();
  out.member("hypothesis", info.hypothesis);
  out.member("id", info.id);
  out.member("incidentCategory", info.incident_category);
  out.member("incidentCategoryTitle", info.incident_category_title);
  out.key("incidents").strings(info.incidents);
  out.key("location").object();
  out.member("column", static_cast<long long>(info.location.column));
  out.member("file", info.location.file.str());
  out.member("line", static_cast<long long>(info.location.line));
  out.end();
  out.member("owner", info.owner);
  out.member("preparationCost", enum_name(info.preparation_cost));
  out.key("risk").object();
  out.member("impact", static_cast<long long>(info.impact));
  out.member("level", enum_name(info.risk_level));
  out.member("likelihood", static_cast<long long>(info.likelihood));
  out.member("score", static_cast<long long>(info.likelihood * info.impact));  // int, as to_json multiplies
  out.end();
  out.member("service", info.service);
  out.member("status", enum_name(info.status));
  out.key("tags").strings(info.tags);
  out.key("targets").strings(info.targets);
  out.member("title", info.title);
  out.end();
}

}  // namespace

void write_experiment_record(JsonText& out, const ExperimentResult& result) {
  out.object();
  out.key("attempts").array();
  for (const auto& attempt : result.attempts) write_attempt(out, attempt);
  out.end();
  out.member("deviatedProbe", result.deviated_probe);
  out.member("durationMs", ms(result.duration));
  out.member("expected", result.expected);  // before "experiment": 'c' < 'r'
  out.key("experiment");
  write_info(out, result.experiment);
  out.member("fingerprint", result.fingerprint);
  out.member("observed", result.observed);
  out.member("reason", result.reason);
  out.member("started", format_time(result.started));
  out.member("verdict", enum_name(result.verdict));
  out.end();
}

}  // namespace chaosgate
