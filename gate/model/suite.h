#pragma once
// The suite: catalog + experiments, as loaded and validated. Plain data; the
// loader (gate/load) fills it, the planner and engine read it.
#include <array>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/boxed.h"
#include "model/comparison.h"
#include "model/duration.h"
#include "model/enums.h"
#include "model/field_locations.h"
#include "model/source_location.h"

namespace chaosgate {

// ---- catalog -------------------------------------------------------------

struct JiraRoute {
  std::string project;  // project key, e.g. "CHK"
  std::string component;
  std::string issue_type = "Task";
  std::string assignee;  // account id (Cloud) or user name (Data Center); may be empty
};

struct GitlabRoute {
  std::string project;  // numeric id or "group/project"
  std::vector<std::string> labels;
  std::vector<long> assignee_ids;
};

struct Team {
  std::string id;
  std::string name;
  std::optional<JiraRoute> jira;
  std::optional<GitlabRoute> gitlab;
  SourceLocation location;
};

struct Service {
  std::string id;
  std::string owner;                 // team id
  std::vector<std::string> targets;  // default blast radius of its experiments
  std::vector<std::string> paths;    // repository globs owned by the service
  SourceLocation location;
  FieldLocations field_locations;  // where the looked-up fields' values were written
};

struct IncidentCategory {
  std::string id;
  std::string title;
  std::vector<std::string> incidents;  // linked incident ids, e.g. "INC-1042"
  SourceLocation location;
};

// levels[likelihood-1][impact-1]; the default is the usual 5x5 matrix.
struct RiskMatrix {
  std::array<std::array<RiskLevel, 5>, 5> levels;
  RiskLevel level(int likelihood, int impact) const;  // both clamped to 1..5
  static RiskMatrix standard();
};

struct Environment {
  std::string name;
  bool production = false;
  std::map<std::string, std::string> variables;  // already interpolated
  SourceLocation location;
};

struct Catalog {
  std::vector<Team> teams;
  std::vector<Service> services;
  std::vector<IncidentCategory> incident_categories;
  RiskMatrix risk_matrix = RiskMatrix::standard();
  std::vector<Environment> environments;

  // Each returns nullptr when the id is not in the catalog.
  const Team* find_team(const std::string& id) const;
  const Service* find_service(const std::string& id) const;
  const IncidentCategory* find_category(const std::string& id) const;
  const Environment* find_environment(const std::string& name) const;
};

// ---- probes ----------------------------------------------------------------

struct HttpRequestSpec {
  std::string method = "GET";
  std::string url;
  std::map<std::string, std::string> headers;
  std::string body;
  Millis timeout{5000};
  bool operator==(const HttpRequestSpec&) const = default;
};

struct TcpSpec {
  std::string host;
  int port = 0;
  Millis timeout{2000};
  bool operator==(const TcpSpec&) const = default;
};

struct CommandSpec {
  std::vector<std::string> argv;  // run directly; a shell only when `shell` is true
  bool shell = false;             // then argv is {"/bin/sh", "-c", script}
  std::map<std::string, std::string> env;
  Millis timeout{30000};
  bool operator==(const CommandSpec&) const = default;
};

struct PrometheusSpec {
  std::string url;  // base URL of the Prometheus server
  std::string query;
  Millis timeout{5000};
  bool operator==(const PrometheusSpec&) const = default;
};

struct JsonExpectation {
  std::string pointer;  // RFC 6901
  std::string equals;   // compared as JSON text after parsing, e.g. "\"ok\"" or "3"
  std::optional<Comparison> compare;  // numeric bound instead of equality
  bool operator==(const JsonExpectation&) const = default;
};

// What one probe sample must show. Only the parts meaningful for its kind are set.
struct Expectation {
  std::vector<int> status_codes;                    // any of these (http)
  std::optional<std::pair<int, int>> status_range;  // inclusive (http)
  std::string body_contains;                        // http body / command output
  std::string body_regex;                           // ECMAScript regex
  std::vector<JsonExpectation> json;                // http
  std::optional<Comparison> latency;                // http, tcp
  std::optional<int> exit_code;                     // command
  std::optional<Comparison> value;                  // prometheus
  bool operator==(const Expectation&) const = default;
};

// Aggregate tolerance for a probe sampled during the fault window.
struct Tolerance {
  Comparison success_ratio{CompareOp::greater_equal, 1.0, false};
  std::optional<Comparison> latency_p50;
  std::optional<Comparison> latency_p95;
  std::optional<Comparison> latency_p99;
  bool operator==(const Tolerance&) const = default;
};

enum class ProbeKind { http, tcp, command, prometheus };

class ExperimentRecord;  // model/experiment_record.h: reads and writes the private parts below

// The settings of one kind, held once and on the heap: a probe or action
// used to carry every kind's settings (~750 bytes each, most of a loaded
// suite), then the largest kind's inline (a TCP probe paid for an HTTP
// request's). Reading a kind that is not held gives its defaults, as the
// unused fields gave before (the definition digests read them); writing one
// makes it the held kind.
template <typename... Specs>
class KindSpec {
public:
  template <typename Spec>
  const Spec& get() const {
    static const Boxed<Spec> k_unset;  // reads as Spec's defaults
    const Boxed<Spec>* held = std::get_if<Boxed<Spec>>(&m_spec);
    return (held ? *held : k_unset).get();
  }
  template <typename Spec>
  Spec& set() {
    if (!std::holds_alternative<Boxed<Spec>>(m_spec)) m_spec.template emplace<Boxed<Spec>>();
    return std::get<Boxed<Spec>>(m_spec).set();
  }

  bool operator==(const KindSpec&) const = default;

private:
  friend class ExperimentRecord;
  std::variant<std::monostate, Boxed<Specs>...> m_spec;
};

struct Probe {
  std::string name;
  ProbeKind kind = ProbeKind::http;
  std::optional<Millis> every;  // set: sampled at this interval, judged by `tolerance()`
  SourceLocation location;

  const Expectation& expect() const { return m_expect.get(); }
  Expectation& expect() { return m_expect.set(); }
  const Tolerance& tolerance() const { return m_tolerance.get(); }
  Tolerance& tolerance() { return m_tolerance.set(); }

  // The settings of `kind`.
  const HttpRequestSpec& http() const { return m_spec.get<HttpRequestSpec>(); }
  HttpRequestSpec& http() { return m_spec.set<HttpRequestSpec>(); }
  const TcpSpec& tcp() const { return m_spec.get<TcpSpec>(); }
  TcpSpec& tcp() { return m_spec.set<TcpSpec>(); }
  const CommandSpec& command() const { return m_spec.get<CommandSpec>(); }
  CommandSpec& command() { return m_spec.set<CommandSpec>(); }
  const PrometheusSpec& prometheus() const { return m_spec.get<PrometheusSpec>(); }
  PrometheusSpec& prometheus() { return m_spec.set<PrometheusSpec>(); }

  // The endpoint this probe observes ("http://host:port", "tcp://h:p",
  // "prometheus://..."); empty for command probes. Used by preflight.
  std::string endpoint() const;

  bool operator==(const Probe&) const = default;

private:
  friend class ExperimentRecord;  // writes and reads the parts as they are held
  Boxed<Expectation> m_expect;
  Boxed<Tolerance> m_tolerance;  // a sampled probe's only
  KindSpec<HttpRequestSpec, TcpSpec, CommandSpec, PrometheusSpec> m_spec;
};

// ---- actions ---------------------------------------------------------------

enum class ActionKind { command, http, pause, signal, network };

struct SignalSpec {
  std::string pid_file;
  std::string signal = "SIGTERM";  // SIGSTOP, SIGCONT, SIGKILL, SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2
  bool operator==(const SignalSpec&) const = default;
};

// A toxic added to a proxy of a Toxiproxy-compatible API (the built-in
// `chaosgate proxy` or a Toxiproxy server); the loader adds its rollback,
// the same spec with `remove`.
struct NetworkSpec {
  std::string api;         // base URL, e.g. http://127.0.0.1:8474
  std::string proxy;       // proxy name
  std::string toxic_name;  // given or Toxiproxy's default: type_stream
  std::string toxic_json;  // the POST /proxies/{proxy}/toxics body
  bool remove = false;     // DELETE the toxic instead
  bool reset = false;      // POST /reset: every toxic of every proxy of the API removed
  bool reset_on_interrupt = false;  // after a SIGINT/SIGTERM, reset the whole API (it belongs to this staging alone)
  bool operator==(const NetworkSpec&) const = default;
};

struct Action {
  std::string name;
  ActionKind kind = ActionKind::command;
  Millis pause{0};
  bool fault = false;  // injects a fault: must carry a rollback
  std::vector<Action> rollback;  // undoes this action; run in reverse on every exit path
  SourceLocation location;

  // http: expected status (default 2xx); command: exit code (default 0).
  const Expectation& expect() const { return m_expect.get(); }
  Expectation& expect() { return m_expect.set(); }

  // The settings of `kind` (a pause is `pause` alone).
  const CommandSpec& command() const { return m_spec.get<CommandSpec>(); }
  CommandSpec& command() { return m_spec.set<CommandSpec>(); }
  const HttpRequestSpec& http() const { return m_spec.get<HttpRequestSpec>(); }
  HttpRequestSpec& http() { return m_spec.set<HttpRequestSpec>(); }
  const SignalSpec& signal() const { return m_spec.get<SignalSpec>(); }
  SignalSpec& signal() { return m_spec.set<SignalSpec>(); }
  const NetworkSpec& network() const { return m_spec.get<NetworkSpec>(); }
  NetworkSpec& network() { return m_spec.set<NetworkSpec>(); }

  // True for kinds that are faults by nature (signal) or when marked `fault: true`.
  bool is_fault() const;

  bool operator==(const Action&) const = default;

private:
  friend class ExperimentRecord;  // writes and reads the parts as they are held
  Boxed<Expectation> m_expect;
  KindSpec<CommandSpec, HttpRequestSpec, SignalSpec, NetworkSpec> m_spec;
};

// ---- experiments -----------------------------------------------------------

struct Risk {
  int likelihood = 1;  // 1..5
  int impact = 1;      // 1..5
  int score() const { return likelihood * impact; }
  bool operator==(const Risk&) const = default;
};

struct FollowUpTask {
  std::string title;
  std::string description;
  bool operator==(const FollowUpTask&) const = default;
};

struct Experiment {
  std::string id;
  std::string title;
  std::string owner;    // team id (defaults to the service's owner)
  std::string service;  // service id
  std::vector<std::string> targets;  // blast radius (defaults to the service's targets)
  std::string hypothesis;
  std::string incident_category;
  AttackGroup attack_group = AttackGroup::application;
  PreparationCost preparation_cost = PreparationCost::low;
  Risk risk;
  LifecycleStatus status = LifecycleStatus::draft;
  std::vector<std::string> tags;
  bool always = false;            // runs in merge-request mode whatever changed
  bool allow_production = false;  // opts in to fault injection in production
  Millis timeout{300000};
  Millis recovery_time{60000};    // how long the steady state after may take to hold again
  int retries = 0;                // re-runs after a failure, to tell a regression from a flake
  std::vector<Probe> steady_state;
  std::vector<Probe> observe;
  std::vector<Action> method;
  std::vector<Action> rollbacks;  // experiment-wide cleanup, after the per-action rollbacks
  std::vector<Probe> stop_conditions;
  std::vector<FollowUpTask> follow_up;
  SourceLocation location;
  FieldLocations field_locations;  // where the looked-up fields' values were written

  // The location of `field`'s value, or of the experiment when it was not
  // written (or is not among those the loader keeps for an experiment).
  SourceLocation location_of(LocatedField field) const;

  // Rough duration of one attempt: pauses, sampled-probe windows, probe and
  // action timeouts (bounded), used for planning and sharding.
  Millis estimated_duration() const;
  bool operator==(const Experiment&) const = default;
};

struct Suite {
  std::string api_version;
  std::string name;
  std::string version;
  Catalog catalog;
  std::vector<Probe> stop_conditions;  // suite-wide, checked during every experiment
  std::vector<Experiment> experiments;
  std::string digest;                  // sha256 of the source bytes (files in stable order)
  std::vector<std::string> files;      // the files it was loaded from, in merge order
};

inline constexpr const char* k_api_version = "chaosgate/v1";

}  // namespace chaosgate
