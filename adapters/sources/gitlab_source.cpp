// A suite file in a GitLab repository, fetched through the repository files API.
#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "sources/http_fetch.h"
#include "sources/source_factories.h"
#include "util/errors.h"
#include "util/redact.h"

namespace chaosgate::sources {
namespace {

constexpr std::string_view k_scheme = "gitlab://";
// The project's default branch: the gate's own CI_COMMIT_REF_NAME names a
// branch of the product repository, not of the suite repository.
constexpr std::string_view k_default_ref = "HEAD";

struct GitlabSpec {
  std::string project;  // "group/sub/project"
  std::string path;     // "suites/green.yaml"
  std::string ref;
};

GitlabSpec parse_spec(const std::string& spec) {
  const auto usage = spec + ": expected gitlab://GROUP/PROJECT//PATH/IN/REPO[@REF]";
  const auto rest = std::string_view(spec).substr(k_scheme.size());
  const auto split = rest.find("//");
  if (split == std::string_view::npos) throw UserError(usage);
  GitlabSpec parsed{std::string(rest.substr(0, split)), std::string(rest.substr(split + 2)),
                    std::string(k_default_ref)};
  if (const auto at = parsed.path.rfind('@'); at != std::string::npos) {
    parsed.ref = parsed.path.substr(at + 1);
    parsed.path.resize(at);
  }
  if (parsed.project.empty() || parsed.project.front() == '/' || parsed.project.back() == '/' ||
      parsed.path.empty() || parsed.path.front() == '/' || parsed.ref.empty()) {
    throw UserError(usage);
  }
  return parsed;
}

// Percent-encodes everything but RFC 3986 unreserved characters, '.' included:
// GitLab would otherwise read a trailing ".json" as a response format.
std::string url_encode(std::string_view text) {
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buffer[4];
      std::snprintf(buffer, sizeof buffer, "%%%02X", c);
      out += buffer;
    }
  }
  return out;
}

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

class GitlabSource final : public SuiteSource {
public:
  GitlabSource(std::string spec, GitlabSpec parsed, std::shared_ptr<http::HttpClient> client)
      : m_spec(std::move(spec)), m_parsed(std::move(parsed)), m_client(std::move(client)) {}

  std::vector<SuiteFile> fetch(const FetchOptions& options) override {
    auto api = env("CI_API_V4_URL");
    if (api.empty()) api = env("GITLAB_API_URL");
    if (api.empty()) throw UserError(describe() + ": set CI_API_V4_URL or GITLAB_API_URL to the GitLab API URL");
    while (!api.empty() && api.back() == '/') api.pop_back();

    http::Request request;
    request.url = api + "/projects/" + url_encode(m_parsed.project) + "/repository/files/" +
                  url_encode(m_parsed.path) + "/raw?ref=" + url_encode(m_parsed.ref);
    request.timeout = options.timeout;
    request.max_response_bytes = options.max_bytes;
    request.stop = options.stop;
    if (auto token = env("GITLAB_TOKEN"); !token.empty()) {
      register_secret(token);
      request.headers.emplace_back("PRIVATE-TOKEN", std::move(token));
    } else if (auto job_token = env("CI_JOB_TOKEN"); !job_token.empty()) {
      register_secret(job_token);
      request.headers.emplace_back("JOB-TOKEN", std::move(job_token));
    }
    auto response = fetch_ok(*m_client, request, describe());
    return one_file(to_suite_file(describe(), m_parsed.path, std::move(response)));
  }

  std::string describe() const override { return redact(m_spec); }

private:
  std::string m_spec;
  GitlabSpec m_parsed;
  std::shared_ptr<http::HttpClient> m_client;
};

}  // namespace

std::unique_ptr<SuiteSource> make_gitlab_source(const std::string& spec,
                                                std::shared_ptr<http::HttpClient> client) {
  return std::make_unique<GitlabSource>(spec, parse_spec(spec), std::move(client));
}

}  // namespace chaosgate::sources
