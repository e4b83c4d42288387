#pragma once
// The shop's redis access, with the "release" switches the demo flips: how
// long to wait for redis and how often to retry when it does not answer.
#include <atomic>
#include <optional>
#include <string>
#include <utility>
#include <vector>

struct RedisSettings {
  std::string host = "127.0.0.1";
  int port = 0;  // required: the sandbox never uses the default port (a system redis may own it)
  int timeout_ms = 300;  // per attempt
  int retries = 3;       // extra attempts after a failure, with growing back-off
};

struct RedisCounters {
  std::atomic<long> errors{0};
  std::atomic<long> retries{0};
};

class RedisStore {
public:
  RedisStore(RedisSettings settings, RedisCounters& counters) : m_settings(std::move(settings)), m_counters(counters) {}

  // Runs one command (argv form). Returns the reply as text ("" for nil), or
  // nullopt when redis did not answer within the attempts the release allows.
  std::optional<std::string> command(const std::vector<std::string>& argv);
  // The same for commands answering an array (HGETALL: field, value, ...).
  std::optional<std::vector<std::string>> array_command(const std::vector<std::string>& argv);

private:
  RedisSettings m_settings;
  RedisCounters& m_counters;
};
