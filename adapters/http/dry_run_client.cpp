#include "http/dry_run_client.h"

#include <mutex>

#include "util/redact.h"

namespace chaosgate::http {

namespace {

constexpr std::size_t k_max_body = 16000;  // a ticket body fits; an attachment is cut

// What Jira's create (key), GitLab's create (iid, web_url) and upload
// (markdown) answers carry, so the adapters go on to the next request.
constexpr const char* k_stand_in_answer =
    R"json({"id":"0","key":"DRY-RUN","self":"","iid":0,"web_url":"","markdown":"(dry run: not uploaded)"})json";

class DryRunClient : public HttpClient {
public:
  DryRunClient(std::shared_ptr<HttpClient> reads, std::ostream& out) : m_reads(std::move(reads)), m_out(out) {}

  Result send(const Request& request) override {
    if (request.method == "GET" || request.method == "HEAD") return m_reads->send(request);
    print(request);
    Response response;
    response.status = request.method == "POST" ? 201 : 200;
    response.headers = {{"content-type", "application/json"}};
    response.body = k_stand_in_answer;
    return response;
  }

private:
  void print(const Request& request) {
    std::string text = "dry run: would send " + request.method + " " + redact(request.url) + "\n";
    for (const auto& [name, value] : request.headers) text += "  " + redact(name + ": " + value) + "\n";
    std::string body = redact(request.body);
    if (body.size() > k_max_body) body = body.substr(0, k_max_body) + "... (" + std::to_string(request.body.size()) + " bytes)";
    if (!body.empty()) text += "  " + body + "\n";
    const std::lock_guard lock(m_mutex);
    m_out << text;
  }

  std::shared_ptr<HttpClient> m_reads;
  std::ostream& m_out;
  std::mutex m_mutex;
};

}  // namespace

std::unique_ptr<HttpClient> make_dry_run_client(std::shared_ptr<HttpClient> reads, std::ostream& out) {
  return std::make_unique<DryRunClient>(std::move(reads), out);
}

}  // namespace chaosgate::http
