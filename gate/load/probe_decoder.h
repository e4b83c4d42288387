#pragma once
// Decoders for probes and actions (the parts of an experiment that talk to a system).
#include "load/node_reader.h"
#include "model/suite.h"

namespace chaosgate {

enum class ProbeRole { steady_state, observe, stop_condition };

// Each returns nullopt after reporting when the value is unusable.
std::optional<Probe> decode_probe(const Node& node, const std::string& path, const DecodeContext& context,
                                  ProbeRole role);
std::optional<Action> decode_action(const Node& node, const std::string& path, const DecodeContext& context,
                                    bool is_rollback);

std::vector<Probe> decode_probe_list(ObjectReader& parent, std::string_view field, ProbeRole role);
std::vector<Action> decode_action_list(ObjectReader& parent, std::string_view field, bool is_rollback);

// The fields each object may have (ObjectReader reports any other).
inline constexpr std::string_view k_probe_fields[] = {"name", "http", "tcp", "command", "prometheus", "expect", "every", "tolerance"};
inline constexpr std::string_view k_http_request_fields[] = {"url", "method", "headers", "body", "timeout"};
inline constexpr std::string_view k_tcp_fields[] = {"host", "port", "timeout"};
inline constexpr std::string_view k_command_fields[] = {"argv", "shell", "env", "timeout"};
inline constexpr std::string_view k_prometheus_fields[] = {"url", "query", "timeout"};
inline constexpr std::string_view k_expect_fields[] = {"status",   "bodyContains",   "bodyRegex",   "json", "latency",
                                                       "exitCode", "outputContains", "outputRegex", "value"};
inline constexpr std::string_view k_json_expect_fields[] = {"pointer", "equals", "compare"};
inline constexpr std::string_view k_tolerance_fields[] = {"successRatio", "latencyP50", "latencyP95", "latencyP99"};
inline constexpr std::string_view k_action_fields[] = {"name", "command", "http", "pause", "signal", "network", "expect", "fault", "rollback"};
inline constexpr std::string_view k_signal_fields[] = {"pidFile", "signal"};
inline constexpr std::string_view k_network_fields[] = {"api", "proxy", "toxic", "resetOnInterrupt"};
inline constexpr std::string_view k_toxic_fields[] = {"type", "name", "stream", "toxicity", "attributes"};

}  // namespace chaosgate
