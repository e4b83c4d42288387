#include "metrics.h"

#include <sstream>

void Metrics::observe(const std::string& route, int status, double seconds) {
  std::lock_guard lock(m_mutex);
  m_requests[{route, status}]++;
  Histogram& histogram = m_latency[route];
  for (std::size_t i = 0; i < k_buckets.size(); ++i)
    if (seconds <= k_buckets[i]) histogram.counts[i]++;
  histogram.count++;
  histogram.sum += seconds;
}

std::string Metrics::render(const std::string& instance, const std::string& release, long redis_errors,
                            long redis_retries) const {
  std::ostringstream out;
  std::lock_guard lock(m_mutex);
  out << "# HELP shop_http_requests_total Requests served, by route and status code.\n"
         "# TYPE shop_http_requests_total counter\n";
  for (const auto& [key, count] : m_requests)
    out << "shop_http_requests_total{route=\"" << key.first << "\",code=\"" << key.second << "\"} " << count << '\n';
  out << "# HELP shop_http_request_duration_seconds Request latency.\n"
         "# TYPE shop_http_request_duration_seconds histogram\n";
  for (const auto& [route, histogram] : m_latency) {
    for (std::size_t i = 0; i < k_buckets.size(); ++i)
      out << "shop_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << k_buckets[i] << "\"} "
          << histogram.counts[i] << '\n';
    out << "shop_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << histogram.count << '\n'
        << "shop_http_request_duration_seconds_sum{route=\"" << route << "\"} " << histogram.sum << '\n'
        << "shop_http_request_duration_seconds_count{route=\"" << route << "\"} " << histogram.count << '\n';
  }
  out << "# HELP shop_redis_errors_total Redis attempts that failed or timed out.\n"
         "# TYPE shop_redis_errors_total counter\nshop_redis_errors_total " << redis_errors << '\n'
      << "# HELP shop_redis_retries_total Redis attempts repeated after a failure.\n"
         "# TYPE shop_redis_retries_total counter\nshop_redis_retries_total " << redis_retries << '\n'
      << "# HELP shop_build_info The running release (shop_instance: not \"instance\", which Prometheus sets).\n"
         "# TYPE shop_build_info gauge\nshop_build_info{shop_instance=\"" << instance << "\",release=\"" << release << "\"} 1\n";
  return out.str();
}
