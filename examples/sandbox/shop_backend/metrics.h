#pragma once
// Prometheus text exposition of the backend's request counters and latency
// histogram; what the sandbox's Prometheus scrapes every second.
#include <array>
#include <map>
#include <mutex>
#include <string>

class Metrics {
public:
  void observe(const std::string& route, int status, double seconds);
  // The exposition text, with the redis counters and build info appended.
  std::string render(const std::string& instance, const std::string& release, long redis_errors, long redis_retries) const;

private:
  static constexpr std::array<double, 9> k_buckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  struct Histogram {
    std::array<long, k_buckets.size()> counts{};
    long count = 0;
    double sum = 0;
  };
  mutable std::mutex m_mutex;
  std::map<std::pair<std::string, int>, long> m_requests;
  std::map<std::string, Histogram> m_latency;
};
