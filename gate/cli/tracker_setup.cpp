#include "cli/tracker_setup.h"

#include <filesystem>
#include <iostream>

#include "cli/secrets.h"
#include "http/dry_run_client.h"
#include "http/http_client.h"
#include "trackers/file_tracker.h"
#include "trackers/gitlab_tracker.h"
#include "trackers/jira_tracker.h"
#include "util/errors.h"

namespace chaosgate::cli {

namespace {

// A required token: from the file when given, else the variable.
std::string required_token(const std::string& file, const char* variable, const std::string& what, const char* option) {
  std::string value = read_token(file, variable, what);
  if (value.empty() && !file.empty()) throw UserError(file + ": the " + what + " file is empty");
  if (value.empty()) throw UserError(std::string("no ") + what + ": set " + variable + " or pass " + option + " FILE");
  return value;
}

std::string trim_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::shared_ptr<http::HttpClient> client_for(const TrackerOptions& options) {
  http::ClientOptions client;
  client.ca_bundle = options.ca_bundle;
  std::shared_ptr<http::HttpClient> curl(http::make_curl_client(client));
  if (!options.dry_run) return curl;
  return std::shared_ptr<http::HttpClient>(http::make_dry_run_client(std::move(curl), std::cout));
}

std::unique_ptr<Tracker> make_jira(const TrackerOptions& options, const std::map<std::string, Team>& teams,
                                     const Cancellation* stop) {
  trackers::JiraConfig config;
  config.base_url = trim_slash(options.jira_url.empty() ? env_or_empty("JIRA_URL") : options.jira_url);
  if (config.base_url.empty()) throw UserError("--tracker jira needs the Jira URL: --jira-url or JIRA_URL");
  if (options.jira_flavor == "datacenter") {
    config.flavor = trackers::JiraConfig::Flavor::data_center;
    config.token = required_token(options.jira_token_file, "JIRA_PAT", "Jira personal access token", "--jira-token-file");
  } else {
    config.flavor = trackers::JiraConfig::Flavor::cloud;
    config.email = env_or_empty("JIRA_EMAIL");
    if (config.email.empty()) throw UserError("--tracker jira (Cloud) signs in with JIRA_EMAIL and JIRA_API_TOKEN: JIRA_EMAIL is not set");
    config.token = required_token(options.jira_token_file, "JIRA_API_TOKEN", "Jira API token", "--jira-token-file");
  }
  for (const auto& [id, team] : teams)
    if (team.jira) config.routes[id] = *team.jira;
  config.sub_tasks = options.jira_sub_tasks;
  config.recovery_transition = options.jira_recovery_transition;
  config.stop = stop;
  return trackers::make_jira_tracker(std::move(config), client_for(options));
}

std::unique_ptr<Tracker> make_gitlab(const TrackerOptions& options, const std::map<std::string, Team>& teams,
                                     const Cancellation* stop) {
  trackers::GitlabTrackerConfig config;
  config.api_url = trim_slash(options.gitlab_url.empty() ? env_or_empty("CI_API_V4_URL") : options.gitlab_url);
  if (config.api_url.empty()) throw UserError("--tracker gitlab needs the API URL: --gitlab-url or CI_API_V4_URL");
  config.token = required_token(options.gitlab_token_file, "GITLAB_TOKEN", "GitLab access token", "--gitlab-token-file");
  for (const auto& [id, team] : teams)
    if (team.gitlab) config.routes[id] = *team.gitlab;
  config.close_on_recovery = options.gitlab_close_on_recovery;
  config.stop = stop;
  return trackers::make_gitlab_tracker(std::move(config), client_for(options));
}

}  // namespace

void add_tracker_options(CLI::App& command, TrackerOptions& options) {
  command.add_option("--tracker", options.kind,
                     "Where regression tickets go: file (Markdown + JSON under --out/tickets/), jira, gitlab or none")
      ->check(CLI::IsMember({"file", "jira", "gitlab", "none"}))
      ->capture_default_str();
  command.add_option("--state-dir", options.state_dir,
                     "Kept between runs (a CI cache): the ticket outbox and the file tracker's index")
      ->envname("CHAOSGATE_STATE_DIR")
      ->capture_default_str();
  command.add_option("--jira-url", options.jira_url, "Jira base URL (default: $JIRA_URL)");
  command.add_option("--jira-flavor", options.jira_flavor,
                     "cloud (REST v3, JIRA_EMAIL + JIRA_API_TOKEN) or datacenter (REST v2, JIRA_PAT)")
      ->check(CLI::IsMember({"cloud", "datacenter"}))
      ->capture_default_str();
  command.add_option("--jira-token-file", options.jira_token_file, "Read the Jira token from this file instead of the environment");
  command.add_option("--jira-recovery-transition", options.jira_recovery_transition,
                     "Transition a recovered ticket (e.g. \"Done\"); default: comment and relabel it");
  command.add_flag("--jira-sub-tasks", options.jira_sub_tasks, "File the suite's follow-up tasks as Jira sub-tasks");
  command.add_option("--gitlab-url", options.gitlab_url, "GitLab API v4 URL (default: $CI_API_V4_URL)");
  command.add_option("--gitlab-token-file", options.gitlab_token_file, "Read the GitLab token from this file instead of GITLAB_TOKEN");
  command.add_flag("--gitlab-close-on-recovery", options.gitlab_close_on_recovery,
                   "Close a recovered issue; default: comment and relabel it");
  command.add_option("--ticket-priority", options.priorities,
                     "Tracker priority for a risk level, LEVEL=NAME (repeatable; default critical=Highest, high=High, "
                     "medium=Medium, low=Low)");
  command.add_option("--tracker-ca-bundle", options.ca_bundle, "PEM CA bundle for a tracker behind a private CA")
      ->check(CLI::ExistingFile);
}

std::map<std::string, std::string> priority_names(const TrackerOptions& options) {
  std::map<std::string, std::string> names;
  for (const auto& item : options.priorities) {
    const auto equals = item.find('=');
    const std::string level = item.substr(0, equals);
    if (equals == std::string::npos || equals + 1 == item.size() ||
        (level != "critical" && level != "high" && level != "medium" && level != "low"))
      throw UserError("--ticket-priority " + item + ": write LEVEL=NAME with LEVEL critical, high, medium or low, e.g. critical=Blocker");
    names[level] = item.substr(equals + 1);
  }
  return names;
}

std::string outbox_dir(const TrackerOptions& options) {
  return (std::filesystem::path(options.state_dir) / "outbox").string();
}

std::unique_ptr<Tracker> make_tracker(const TrackerOptions& options, const std::string& out_dir,
                                      const std::map<std::string, Team>& teams, const Cancellation* stop) {
  if (options.kind == "file" && options.dry_run)
    throw UserError("--dry-run shows the requests a jira or gitlab tracker would receive; the file tracker sends none");
  if (options.kind == "file") return trackers::make_file_tracker(out_dir, options.state_dir);
  if (options.kind == "jira") return make_jira(options, teams, stop);
  if (options.kind == "gitlab") return make_gitlab(options, teams, stop);
  return nullptr;
}

}  // namespace chaosgate::cli
