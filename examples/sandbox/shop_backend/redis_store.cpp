#include "redis_store.h"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>

namespace {

using ContextPtr = std::unique_ptr<redisContext, decltype(&redisFree)>;
using ReplyPtr = std::unique_ptr<redisReply, decltype(&freeReplyObject)>;

// One attempt: connect, send, read, all bounded by the timeout. A fresh
// connection per attempt keeps the failure handling trivially correct.
ReplyPtr attempt(const RedisSettings& settings, const std::vector<std::string>& argv) {
  const timeval timeout{settings.timeout_ms / 1000, (settings.timeout_ms % 1000) * 1000};
  ContextPtr context(redisConnectWithTimeout(settings.host.c_str(), settings.port, timeout), redisFree);
  if (!context || context->err) return ReplyPtr(nullptr, freeReplyObject);
  redisSetTimeout(context.get(), timeout);
  std::vector<const char*> words;
  std::vector<size_t> lengths;
  for (const auto& word : argv) {
    words.push_back(word.data());
    lengths.push_back(word.size());
  }
  auto* reply = static_cast<redisReply*>(redisCommandArgv(context.get(), static_cast<int>(words.size()), words.data(), lengths.data()));
  if (!reply || reply->type == REDIS_REPLY_ERROR) {
    if (reply) freeReplyObject(reply);
    return ReplyPtr(nullptr, freeReplyObject);
  }
  return ReplyPtr(reply, freeReplyObject);
}

template <typename Convert>
auto with_retries(const RedisSettings& settings, RedisCounters& counters, const std::vector<std::string>& argv, Convert convert)
    -> decltype(convert(static_cast<redisReply*>(nullptr))) {
  for (int number = 0; number <= settings.retries; ++number) {
    if (number > 0) {
      counters.retries++;
      // Back-off 100, 200, 400 ms: with 300 ms attempts, 3 retries span 1.9 s,
      // which covers a 1.5 s redis stall with room to spare.
      std::this_thread::sleep_for(std::chrono::milliseconds(100 << std::min(number - 1, 4)));
    }
    if (auto reply = attempt(settings, argv)) return convert(reply.get());
    counters.errors++;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> RedisStore::command(const std::vector<std::string>& argv) {
  return with_retries(m_settings, m_counters, argv, [](redisReply* reply) -> std::optional<std::string> {
    if (reply->type == REDIS_REPLY_STRING || reply->type == REDIS_REPLY_STATUS) return std::string(reply->str, reply->len);
    if (reply->type == REDIS_REPLY_INTEGER) return std::to_string(reply->integer);
    return std::string();  // nil
  });
}

std::optional<std::vector<std::string>> RedisStore::array_command(const std::vector<std::string>& argv) {
  return with_retries(m_settings, m_counters, argv, [](redisReply* reply) -> std::optional<std::vector<std::string>> {
    std::vector<std::string> items;
    for (size_t i = 0; i < reply->elements; ++i) items.emplace_back(reply->element[i]->str ? reply->element[i]->str : "");
    return items;
  });
}
