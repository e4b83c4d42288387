#include "status/github_status.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "status/status_text.h"
#include "util/errors.h"
#include "util/redact.h"
#include "util/text.h"

namespace chaosgate::status {

namespace {

using nlohmann::json;

constexpr std::size_t k_description_limit = 140;  // GitHub: "description is too long (maximum is 140 characters)"

const char* state_word(CommitState state) {
  switch (state) {
    case CommitState::running: return "pending";
    case CommitState::success: return "success";
    case CommitState::failed: return "failure";
    case CommitState::canceled: return "error";
  }
  return "failure";
}

// GitHub answers {"message": "Validation Failed", "errors": [{"message": ...} |
// {"resource", "field", "code"}]}: the message alone rarely says what is wrong.
std::string server_message(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return "(no body)";
  const auto parsed = json::parse(body, nullptr, false);
  if (!parsed.is_object() || !parsed.contains("message") || !parsed.at("message").is_string())
    return one_line(body, 300);
  std::string text = parsed.at("message").get<std::string>();
  if (parsed.contains("errors") && parsed.at("errors").is_array()) {
    for (const auto& error : parsed.at("errors")) {
      if (error.is_object() && error.contains("message") && error.at("message").is_string())
        text += "; " + error.at("message").get<std::string>();
      else if (error.is_object())
        text += "; " + error.value("field", std::string("?")) + " " + error.value("code", std::string("invalid"));
      else if (error.is_string())
        text += "; " + error.get<std::string>();
    }
  }
  return text;
}

class GithubStatus final : public StatusPublisher {
public:
  GithubStatus(GithubStatusConfig config, std::shared_ptr<http::HttpClient> client, http::Sleeper sleep)
      : m_config(std::move(config)), m_client(std::move(client)), m_sleep(std::move(sleep)) {
    while (!m_config.api_url.empty() && m_config.api_url.back() == '/') m_config.api_url.pop_back();
    const auto slash = m_config.repository.find('/');
    m_statuses_url = m_config.api_url + "/repos/" + percent_encode(m_config.repository.substr(0, slash)) + "/" +
                     percent_encode(m_config.repository.substr(slash + 1)) + "/statuses/" + percent_encode(m_config.sha);
  }

  std::string name() const override { return "github"; }

  void publish(const StatusUpdate& update) override {
    json body = {{"state", state_word(update.state)},
                 {"context", update.name},
                 {"description", one_line(update.description, k_description_limit)}};
    if (!update.target_url.empty()) body["target_url"] = update.target_url;

    http::Request request;
    request.method = "POST";
    request.url = m_statuses_url;
    request.timeout = m_config.timeout;
    request.headers = {{"Authorization", "Bearer " + m_config.token},
                       {"Accept", "application/vnd.github+json"},
                       {"X-GitHub-Api-Version", "2022-11-28"},
                       {"Content-Type", "application/json"}};
    request.body = body.dump(-1, ' ', false, json::error_handler_t::replace);

    const auto result = http::send_with_retry(*m_client, request, m_config.retry, m_sleep);
    const std::string what = "GitHub commit status: POST " + request.url;
    if (const auto* failure = std::get_if<http::Failure>(&result))
      throw std::runtime_error(redact(what + " failed: " + failure->message));
    const auto& response = std::get<http::Response>(result);
    if (response.status >= 200 && response.status < 300) return;
    std::string status = "HTTP " + std::to_string(response.status);
    if (const auto phrase = http::reason_phrase(response.status); !phrase.empty()) status += " " + phrase;
    if (http::is_retryable(result)) status += " (still, after retries)";
    throw std::runtime_error(redact(what + " -> " + status + ": " + server_message(response.body)));
  }

  // GitHub concatenates what every step appends to its file: append, never
  // truncate, and end with a newline so the next step starts a new block.
  void publish_summary(const std::string& /*key*/, const std::string& markdown) override {
    if (m_config.step_summary_path.empty()) return;
    std::ofstream out(m_config.step_summary_path, std::ios::binary | std::ios::app);
    std::string text = markdown;
    if (!text.empty() && text.back() != '\n') text += '\n';
    if (out) out << text << std::flush;
    if (!out)
      throw std::runtime_error("GitHub step summary: cannot append to " + m_config.step_summary_path + ": " +
                               std::strerror(errno));
  }

private:
  GithubStatusConfig m_config;
  std::shared_ptr<http::HttpClient> m_client;
  http::Sleeper m_sleep;
  std::string m_statuses_url;
};

void require(bool ok, const std::string& message) {
  if (!ok) throw UserError("--status github: " + message);
}

}  // namespace

std::unique_ptr<StatusPublisher> make_github_status(GithubStatusConfig config, std::shared_ptr<http::HttpClient> client,
                                                    http::Sleeper sleep) {
  require(!config.api_url.empty(), "no GitHub API URL (GITHUB_API_URL)");
  require(!config.token.empty(), "no token (GITHUB_TOKEN with `statuses: write`)");
  const auto slash = config.repository.find('/');
  require(slash != std::string::npos && slash > 0 && slash + 1 < config.repository.size() &&
              config.repository.find('/', slash + 1) == std::string::npos,
          "repository is not owner/repo (GITHUB_REPOSITORY): \"" + config.repository + "\"");
  require(!config.sha.empty(), "no commit (GITHUB_SHA)");
  require(client != nullptr, "no HTTP client");
  register_secret(config.token);
  return std::make_unique<GithubStatus>(std::move(config), std::move(client), std::move(sleep));
}

}  // namespace chaosgate::status
