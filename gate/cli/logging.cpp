#include "cli/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "util/redact.h"

namespace chaosgate::cli {

namespace {

std::string timestamp(const spdlog::details::log_msg& message) {
  const auto time = std::chrono::system_clock::to_time_t(message.time);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(message.time.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&time, &utc);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(millis));
  return buffer;
}

class RedactingFormatter : public spdlog::formatter {
public:
  explicit RedactingFormatter(LogFormat format) : m_format(format) {}

  void format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& dest) override {
    const std::string text = redact(std::string_view(message.payload.data(), message.payload.size()));
    const auto level = spdlog::level::to_string_view(message.level);
    std::string line;
    if (m_format == LogFormat::json) {
      nlohmann::json record = {{"time", timestamp(message)}, {"level", std::string(level.data(), level.size())}, {"message", text}};
      line = record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } else {
      line = "chaosgate: " + (message.level == spdlog::level::info ? std::string() : std::string(level.data(), level.size()) + ": ") + text;
    }
    line += '\n';
    dest.append(line.data(), line.data() + line.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<RedactingFormatter>(m_format); }

private:
  LogFormat m_format;
};

}  // namespace

void setup_logging(LogFormat format, int verbosity) {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>("chaosgate", sink);
  logger->set_formatter(std::make_unique<RedactingFormatter>(format));
  logger->set_level(verbosity < 0 ? spdlog::level::err : verbosity == 0 ? spdlog::level::info : spdlog::level::debug);
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
}

}  // namespace chaosgate::cli
