#include "load/probe_decoder.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <regex>
#include <utility>

#include "util/redact.h"
#include "util/text.h"

namespace chaosgate {

namespace {

constexpr std::string_view k_http_methods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
constexpr std::string_view k_probe_kinds[] = {"http", "tcp", "command", "prometheus"};
constexpr std::string_view k_action_kinds[] = {"command", "http", "pause", "signal", "network"};
constexpr std::string_view k_signals[] = {"SIGSTOP", "SIGCONT", "SIGKILL", "SIGTERM", "SIGINT", "SIGHUP", "SIGUSR1", "SIGUSR2"};

// Exactly one of `kinds` must be present; returns its name.
std::optional<std::string> one_kind(ObjectReader& reader, Names kinds, const char* what) {
  std::vector<std::string> present;
  for (const auto& kind : kinds)
    if (reader.field(kind)) present.emplace_back(kind);
  if (present.size() == 1) return present.front();
  if (reader.is_object()) {
    reader.context().error(reader.node(), reader.path(),
                           present.empty() ? std::string(what) + " needs one of: " + join(kinds, ", ")
                                           : std::string(what) + " has several kinds (" + join(present, ", ") + "); give exactly one");
  }
  return std::nullopt;
}

void check_url(ObjectReader& reader, const std::string& url) {
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
    reader.context().error(*reader.field("url"), reader.field_path("url"), "URL " + in_quotes(url) + " must start with http:// or https://");
  register_url_credentials(url);  // masked wherever they turn up, a command's output included
}

void check_regex(ObjectReader& reader, std::string_view field, const std::string& pattern) {
  try {
    std::regex compiled(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    reader.context().error(*reader.field(field), reader.field_path(field), "invalid regular expression: " + std::string(e.what()));
  }
}

HttpRequestSpec decode_http_request(const Node& node, const std::string& path, const DecodeContext& context) {
  HttpRequestSpec spec;
  ObjectReader reader(node, path, context, k_http_request_fields);
  if (auto url = reader.string("url", true)) {
    spec.url = *url;
    check_url(reader, spec.url);
  }
  if (auto method = reader.choice("method", k_http_methods)) spec.method = *method;
  spec.headers = reader.string_map("headers");
  for (const auto& [name, value] : spec.headers)
    if (looks_secret(name) || name == "Authorization" || name == "Cookie") register_secret(value);
  if (const Node* headers = reader.field("headers")) {
    // A credential written into the suite leaks into every copy of it.
    for (const auto& entry : headers->entries()) {
      const bool credential = entry.key == "Authorization" || entry.key == "PRIVATE-TOKEN" || entry.key == "X-Api-Key";
      if (credential && entry.value->kind == Node::Kind::scalar && entry.value->scalar().find("${") == std::string::npos)
        context.warning(*entry.value, child_path(reader.field_path("headers"), entry.key),
                        "credential written into the suite; reference it instead, e.g. ${API_TOKEN}");
    }
  }
  if (auto body = reader.string("body")) spec.body = *body;
  if (auto timeout = reader.duration("timeout")) spec.timeout = *timeout;
  return spec;
}

CommandSpec decode_command(const Node& node, const std::string& path, const DecodeContext& context) {
  CommandSpec spec;
  ObjectReader reader(node, path, context, k_command_fields);
  spec.argv = reader.string_list("argv", true);
  if (const Node* argv = reader.field("argv"); argv && argv->kind == Node::Kind::sequence && argv->items().empty())
    context.error(*reader.field("argv"), reader.field_path("argv"), "argv is empty");
  if (auto shell = reader.boolean("shell")) spec.shell = *shell;
  if (spec.shell && spec.argv.size() != 1 && reader.field("argv"))
    context.error(*reader.field("argv"), reader.field_path("argv"), "with shell: true, argv holds exactly one script string");
  spec.env = reader.string_map("env");
  for (const auto& [name, value] : spec.env)
    if (looks_secret(name)) register_written_credential(value);  // the command may print it
  if (auto timeout = reader.duration("timeout")) spec.timeout = *timeout;
  return spec;
}

void decode_status(const Node& node, const std::string& path, const DecodeContext& context, Expectation& expect) {
  auto add_code = [&](const Node& item, const std::string& item_path) {
    if (auto code = read_integer(item, item_path, context, 100, 599)) expect.status_codes.push_back(static_cast<int>(*code));
  };
  if (node.kind == Node::Kind::sequence) {
    for (std::size_t i = 0; i < node.items().size(); ++i) add_code(*node.items()[i], child_path(path, i));
    return;
  }
  if (node.kind == Node::Kind::scalar && !node.quoted) {
    add_code(node, path);
    return;
  }
  // "2xx" or "200-299"
  auto text = read_string(node, path, context);
  if (!text) return;
  if (text->size() == 3 && (*text)[1] == 'x' && (*text)[2] == 'x' && (*text)[0] >= '1' && (*text)[0] <= '5') {
    const int base = ((*text)[0] - '0') * 100;
    expect.status_range = {base, base + 99};
    return;
  }
  int low = 0, high = 0;
  if (std::sscanf(text->c_str(), "%d-%d", &low, &high) == 2 && low >= 100 && high <= 599 && low <= high &&
      std::to_string(low) + "-" + std::to_string(high) == *text) {
    expect.status_range = {low, high};
    return;
  }
  context.error(node, path, "malformed status " + in_quotes(*text) + "; write 200, [200, 204], \"2xx\" or \"200-299\"");
}

Expectation decode_expect(const Node& node, const std::string& path, const DecodeContext& context, ProbeKind kind,
                          bool is_action) {
  Expectation expect;
  ObjectReader reader(node, path, context, k_expect_fields);
  auto only_for = [&](std::string_view field, bool allowed, const char* which) {
    if (const Node* value = reader.field(field); value && !allowed)
      context.error(*value, reader.field_path(field), std::string("applies to ") + which + " only");
  };
  const bool http = kind == ProbeKind::http, command = kind == ProbeKind::command;
  only_for("status", http, "http probes and actions");
  only_for("bodyContains", http && !is_action, "http probes (commands use outputContains)");
  only_for("bodyRegex", http && !is_action, "http probes (commands use outputRegex)");
  only_for("json", http && !is_action, "http probes");
  only_for("latency", (http || kind == ProbeKind::tcp) && !is_action, "http and tcp probes");
  only_for("exitCode", command, "command probes and actions");
  only_for("outputContains", command && !is_action, "command probes");
  only_for("outputRegex", command && !is_action, "command probes");
  only_for("value", kind == ProbeKind::prometheus, "prometheus probes");

  if (const Node* status = reader.field("status"); status && http) decode_status(*status, reader.field_path("status"), context, expect);
  const char* contains = http ? "bodyContains" : "outputContains";
  const char* regex = http ? "bodyRegex" : "outputRegex";
  if (auto text = reader.string(contains)) expect.body_contains = *text;
  if (auto text = reader.string(regex)) {
    expect.body_regex = *text;
    check_regex(reader, regex, *text);
  }
  if (const Node* json = reader.field("json"); json && http) {
    const std::string json_path = reader.field_path("json");
    if (json->kind != Node::Kind::sequence) {
      context.error(*json, json_path, "expected an array of {pointer, equals | compare}, found " + describe_kind(*json));
    } else {
      for (std::size_t i = 0; i < json->items().size(); ++i) {
        ObjectReader item(*json->items()[i], child_path(json_path, i), context, k_json_expect_fields);
        JsonExpectation check;
        if (auto pointer = item.string("pointer", true)) {
          check.pointer = *pointer;
          if (!check.pointer.empty() && check.pointer[0] != '/')
            context.error(*item.field("pointer"), item.field_path("pointer"), "a JSON pointer starts with \"/\", e.g. \"/status\"");
        }
        if (const Node* equals = item.field("equals")) {
          // Keep the JSON spelling: "ok" is a string, 3 a number, true a boolean.
          if (equals->kind != Node::Kind::scalar)
            context.error(*equals, item.field_path("equals"), "expected a scalar value");
          else if (auto text = read_string(*equals, item.field_path("equals"), context))
            check.equals = equals->quoted || describe_kind(*equals) == "a string" ? in_quotes(*text) : *text;
        }
        check.compare = item.comparison("compare", false);
        if (item.is_object() && !item.field("equals") && !item.field("compare"))
          context.error(item.node(), item.path(), "needs \"equals\" or \"compare\"");
        expect.json.push_back(std::move(check));
      }
    }
  }
  if (http || kind == ProbeKind::tcp) expect.latency = reader.comparison("latency", true);
  if (auto code = reader.integer("exitCode", 0, 255)) expect.exit_code = static_cast<int>(*code);
  if (kind == ProbeKind::prometheus) expect.value = reader.comparison("value", false);
  return expect;
}

}  // namespace

std::optional<Probe> decode_probe(const Node& node, const std::string& path, const DecodeContext& context,
                                  ProbeRole role) {
  ObjectReader reader(node, path, context, k_probe_fields);
  if (!reader.is_object()) return std::nullopt;
  Probe probe;
  probe.location = node.location;
  if (auto name = reader.string("name", true)) probe.name = *name;
  const auto kind = one_kind(reader, k_probe_kinds, "a probe");
  if (kind == "http") {
    probe.kind = ProbeKind::http;
    probe.http() = decode_http_request(*reader.field("http"), reader.field_path("http"), context);
  } else if (kind == "tcp") {
    probe.kind = ProbeKind::tcp;
    ObjectReader tcp(*reader.field("tcp"), reader.field_path("tcp"), context, k_tcp_fields);
    if (auto host = tcp.string("host", true)) probe.tcp().host = *host;
    if (auto port = tcp.integer("port", 1, 65535, true)) probe.tcp().port = static_cast<int>(*port);
    if (auto timeout = tcp.duration("timeout")) probe.tcp().timeout = *timeout;
  } else if (kind == "command") {
    probe.kind = ProbeKind::command;
    probe.command() = decode_command(*reader.field("command"), reader.field_path("command"), context);
  } else if (kind == "prometheus") {
    probe.kind = ProbeKind::prometheus;
    ObjectReader prometheus(*reader.field("prometheus"), reader.field_path("prometheus"), context, k_prometheus_fields);
    if (auto url = prometheus.string("url", true)) {
      probe.prometheus().url = *url;
      check_url(prometheus, *url);
    }
    if (auto query = prometheus.string("query", true)) probe.prometheus().query = *query;
    if (auto timeout = prometheus.duration("timeout")) probe.prometheus().timeout = *timeout;
  }
  if (const Node* expect = reader.field("expect"); expect && kind)
    probe.expect() = decode_expect(*expect, reader.field_path("expect"), context, probe.kind, false);
  if (kind == "prometheus" && !std::as_const(probe).expect().value && !reader.field("expect"))
    context.error(node, path, "a prometheus probe needs expect.value, e.g. \"< 0.05\"");

  probe.every = reader.duration("every");
  if (probe.every && probe.every->count() < 10)
    context.error(*reader.field("every"), reader.field_path("every"), "sampling interval below 10ms");
  if (probe.every && role == ProbeRole::steady_state)
    context.error(*reader.field("every"), reader.field_path("every"),
                  "steady-state probes are checked once before and after the fault; sample during it under \"observe\"");
  if (const Node* tolerance = reader.field("tolerance")) {
    if (!probe.every && role != ProbeRole::steady_state)
      context.error(*tolerance, reader.field_path("tolerance"), "a tolerance needs \"every\": it judges the samples of the fault window");
    else if (role == ProbeRole::steady_state)
      context.error(*tolerance, reader.field_path("tolerance"), "steady-state probes have no tolerance; use expect");
    ObjectReader tol(*tolerance, reader.field_path("tolerance"), context, k_tolerance_fields);
    if (auto ratio = tol.comparison("successRatio", false)) {
      probe.tolerance().success_ratio = *ratio;
      if (ratio->value < 0 || ratio->value > 1)
        context.error(*tol.field("successRatio"), tol.field_path("successRatio"), "a success ratio is between 0 and 1");
    }
    probe.tolerance().latency_p50 = tol.comparison("latencyP50", true);
    probe.tolerance().latency_p95 = tol.comparison("latencyP95", true);
    probe.tolerance().latency_p99 = tol.comparison("latencyP99", true);
  }
  if (role == ProbeRole::observe && !probe.every)
    context.error(node, path, "observation probes are sampled during the fault: give \"every\", e.g. \"every: 200ms\"");
  return probe;
}

// The toxic's JSON is built here, so a typo is found by `validate`, not by the
// proxy in the middle of a run.
NetworkSpec decode_network(const Node& node, const std::string& path, const DecodeContext& context) {
  static constexpr std::string_view k_toxic_types[] = {"latency",    "bandwidth",  "slow_close",  "timeout",
                                                       "reset_peer", "slicer",     "limit_data",  "http_status",
                                                       "http_delay", "drop_connect"};
  static constexpr std::string_view k_streams[] = {"upstream", "downstream"};
  NetworkSpec spec;
  ObjectReader reader(node, path, context, k_network_fields);
  if (!reader.is_object()) return spec;
  // Default: the built-in proxy's control API, from CHAOSGATE_PROXY_API (suite
  // environment or process), else `chaosgate proxy`'s default address.
  spec.api = reader.string("api").value_or(context.variables("CHAOSGATE_PROXY_API").value_or("http://127.0.0.1:8474"));
  if (spec.api.rfind("http://", 0) != 0 && spec.api.rfind("https://", 0) != 0)
    context.error(reader.field("api") ? *reader.field("api") : node, reader.field_path("api"),
                  "URL " + in_quotes(spec.api) + " must start with http:// or https://");
  register_url_credentials(spec.api);
  if (auto proxy = reader.string("proxy", true)) spec.proxy = *proxy;
  spec.reset_on_interrupt = reader.boolean("resetOnInterrupt").value_or(false);
  const Node* toxic_node = reader.field("toxic", true);
  if (!toxic_node) return spec;
  ObjectReader toxic(*toxic_node, reader.field_path("toxic"), context, k_toxic_fields);
  if (!toxic.is_object()) return spec;
  const std::string type = toxic.choice("type", k_toxic_types, true).value_or("");
  const std::string stream = toxic.choice("stream", k_streams).value_or("downstream");
  spec.toxic_name = toxic.string("name").value_or(type + "_" + stream);
  nlohmann::json body = {{"type", type}, {"name", spec.toxic_name}, {"stream", stream}, {"toxicity", 1.0}};
  if (const Node* toxicity = toxic.field("toxicity")) {
    double value = -1;
    if (toxicity->kind == Node::Kind::scalar && !toxicity->quoted) {
      try {
        std::size_t used = 0;
        value = std::stod(std::string(toxicity->scalar()), &used);
        if (used != toxicity->scalar().size()) value = -1;
      } catch (const std::exception&) {
        value = -1;
      }
    }
    if (value < 0 || value > 1) context.error(*toxicity, toxic.field_path("toxicity"), "expected a number between 0 and 1");
    else body["toxicity"] = value;
  }
  nlohmann::json attributes = nlohmann::json::object();
  if (const Node* given = toxic.field("attributes")) {
    if (given->kind != Node::Kind::mapping) {
      context.error(*given, toxic.field_path("attributes"), "expected an object, found " + describe_kind(*given));
    } else {
      for (const auto& entry : given->entries()) {
        const std::string entry_path = child_path(toxic.field_path("attributes"), entry.key);
        const auto text = read_string(*entry.value, entry_path, context);
        if (!text) continue;
        long long number = 0;
        const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), number);
        const std::string name(entry.key);
        if (!entry.value->quoted && error == std::errc() && end == text->data() + text->size()) attributes[name] = number;
        else attributes[name] = *text;
      }
    }
  }
  body["attributes"] = attributes;
  spec.toxic_json = body.dump();
  return spec;
}

std::optional<Action> decode_action(const Node& node, const std::string& path, const DecodeContext& context,
                                    bool is_rollback) {
  ObjectReader reader(node, path, context, k_action_fields);
  if (!reader.is_object()) return std::nullopt;
  Action action;
  action.location = node.location;
  if (auto name = reader.string("name", true)) action.name = *name;
  const auto kind = one_kind(reader, k_action_kinds, "an action");
  if (kind == "command") {
    action.kind = ActionKind::command;
    action.command() = decode_command(*reader.field("command"), reader.field_path("command"), context);
  } else if (kind == "http") {
    action.kind = ActionKind::http;
    action.http() = decode_http_request(*reader.field("http"), reader.field_path("http"), context);
  } else if (kind == "pause") {
    action.kind = ActionKind::pause;
    if (auto pause = reader.duration("pause", true)) action.pause = *pause;
  } else if (kind == "signal") {
    action.kind = ActionKind::signal;
    ObjectReader signal(*reader.field("signal"), reader.field_path("signal"), context, k_signal_fields);
    if (auto pid_file = signal.string("pidFile", true)) action.signal().pid_file = *pid_file;
    if (auto name = signal.choice("signal", k_signals)) action.signal().signal = *name;
  } else if (kind == "network") {
    action.kind = ActionKind::network;
    action.network() = decode_network(*reader.field("network"), reader.field_path("network"), context);
    // The implicit rollback: the toxic removed again, on every exit path.
    Action undo;
    undo.name = "remove toxic " + action.network().toxic_name + " from " + action.network().proxy;
    undo.kind = ActionKind::network;
    undo.network() = action.network();
    undo.network().remove = true;
    undo.location = node.location;
    action.rollback.push_back(std::move(undo));
  }
  if (const Node* expect = reader.field("expect"); expect && kind) {
    if (kind == "pause" || kind == "signal" || kind == "network")
      context.error(*expect, reader.field_path("expect"), "applies to command and http actions only");
    else
      action.expect() = decode_expect(*expect, reader.field_path("expect"),
                                    context, kind == "http" ? ProbeKind::http : ProbeKind::command, true);
  }
  if (auto fault = reader.boolean("fault")) action.fault = *fault;
  if (const Node* rollback = reader.field("rollback")) {
    const std::string rollback_path = reader.field_path("rollback");
    if (is_rollback) {
      context.error(*rollback, rollback_path, "a rollback cannot have its own rollback");
    } else if (rollback->kind == Node::Kind::sequence) {
      for (std::size_t i = 0; i < rollback->items().size(); ++i)
        if (auto undo = decode_action(*rollback->items()[i], child_path(rollback_path, i), context, true))
          action.rollback.push_back(std::move(*undo));
    } else if (auto undo = decode_action(*rollback, rollback_path, context, true)) {
      action.rollback.push_back(std::move(*undo));
    }
  }
  if (is_rollback && action.kind == ActionKind::network)
    context.error(*reader.field("network"), reader.field_path("network"), "a rollback cannot add a toxic");
  else if (is_rollback && action.is_fault() && action.kind != ActionKind::signal)
    context.error(*reader.field("fault"), reader.field_path("fault"), "a rollback cannot be a fault");
  if (!is_rollback && kind && action.is_fault() && action.rollback.empty() && !reader.field("rollback"))
    context.error(node, path,
                  "fault action " + in_quotes(action.name) + " has no rollback; add \"rollback:\" with the action that undoes it" +
                      (action.kind == ActionKind::signal && action.signal().signal == "SIGSTOP" ? " (e.g. SIGCONT)" : ""));
  return action;
}

std::vector<Probe> decode_probe_list(ObjectReader& parent, std::string_view field, ProbeRole role) {
  std::vector<Probe> probes;
  const Node* list = parent.field(field);
  if (!list) return probes;
  const std::string path = parent.field_path(field);
  if (list->kind != Node::Kind::sequence) {
    parent.context().error(*list, path, "expected an array of probes, found " + describe_kind(*list));
    return probes;
  }
  for (std::size_t i = 0; i < list->items().size(); ++i)
    if (auto probe = decode_probe(*list->items()[i], child_path(path, i), parent.context(), role)) probes.push_back(std::move(*probe));
  return probes;
}

std::vector<Action> decode_action_list(ObjectReader& parent, std::string_view field, bool is_rollback) {
  std::vector<Action> actions;
  const Node* list = parent.field(field);
  if (!list) return actions;
  const std::string path = parent.field_path(field);
  if (list->kind != Node::Kind::sequence) {
    parent.context().error(*list, path, "expected an array of actions, found " + describe_kind(*list));
    return actions;
  }
  for (std::size_t i = 0; i < list->items().size(); ++i)
    if (auto action = decode_action(*list->items()[i], child_path(path, i), parent.context(), is_rollback))
      actions.push_back(std::move(*action));
  return actions;
}

}  // namespace chaosgate
