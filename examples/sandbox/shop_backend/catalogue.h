#pragma once
// The product catalogue: stored in redis (seeded when missing), served from
// memory and refreshed every few seconds, so product pages survive a redis
// stall as long as one read ever succeeded.
#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "redis_store.h"

class Catalogue {
public:
  explicit Catalogue(RedisStore& store) : m_store(store) {}

  // The catalogue JSON, or nullopt when it was never read from redis.
  std::optional<std::string> get();

private:
  static constexpr std::chrono::seconds k_refresh_every{5};
  RedisStore& m_store;
  std::mutex m_mutex;
  std::string m_json;
  std::chrono::steady_clock::time_point m_read_at;
  bool m_refreshing = false;  // one refresh at a time; other requests serve the old copy
};
