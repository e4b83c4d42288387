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

extern const std::vector<std::string> k_probe_fields, k_http_request_fields, k_tcp_fields, k_command_fields,
    k_prometheus_fields, k_expect_fields, k_json_expect_fields, k_tolerance_fields, k_action_fields,
    k_signal_fields, k_network_fields, k_toxic_fields;

}  // namespace chaosgate
