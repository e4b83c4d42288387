// The one libcurl wrapper: RAII handles, one CURLcode -> FailureKind mapping.
// libcurl is loaded with dlopen on the first request, not linked: it drags in
// about 35 shared libraries (GSSAPI, LDAP, libssh2, nghttp2, ...) whose
// loading and relocation was 90 % of the gate's start-up, paid by every
// command, also those that never send a request (`validate`, `report`).
#include <curl/curl.h>
#include <dlfcn.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "http/http_client.h"
#include "util/redact.h"

namespace chaosgate::http {
namespace {

// The libcurl functions used here, looked up once. Named without the curl_
// prefix: <curl/curl.h> turns curl_easy_setopt / curl_easy_getinfo into
// type-checking macros that would call the linked symbols.
struct CurlApi {
  decltype(&::curl_global_init) global_init = nullptr;
  decltype(&::curl_version_info) version_info = nullptr;
  decltype(&::curl_easy_init) easy_init = nullptr;
  decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&::curl_easy_setopt) easy_setopt = nullptr;
  decltype(&::curl_easy_perform) easy_perform = nullptr;
  decltype(&::curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&::curl_easy_strerror) easy_strerror = nullptr;
  decltype(&::curl_slist_append) slist_append = nullptr;
  decltype(&::curl_slist_free_all) slist_free_all = nullptr;
  decltype(&::curl_url) url = nullptr;
  decltype(&::curl_url_cleanup) url_cleanup = nullptr;
  decltype(&::curl_url_set) url_set = nullptr;
  decltype(&::curl_url_get) url_get = nullptr;
  decltype(&::curl_free) free = nullptr;
  decltype(&::curl_getdate) getdate = nullptr;
};

// CURLOPT_PROTOCOLS_STR, which keeps requests to http and https, is 7.85.0.
constexpr unsigned k_min_curl_version = 0x075500;

struct LoadedCurl {
  CurlApi api;
  std::string error;  // empty: loaded
};

// The library's file name: the SONAME of Debian's libcurl4 (OpenSSL flavour);
// CHAOSGATE_LIBCURL names another one (a path or a name the loader searches).
LoadedCurl load_curl() {
  LoadedCurl loaded;
  const char* configured = std::getenv("CHAOSGATE_LIBCURL");
  const std::string name = configured != nullptr && *configured != '\0' ? configured : "libcurl.so.4";
  // Never closed: curl keeps global state until the process ends.
  void* library = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = dlerror();
    loaded.error = "cannot load " + name + " (the libcurl4 package): " + (why != nullptr ? why : "unknown error");
    return loaded;
  }
  auto& api = loaded.api;
  const auto find = [&](auto& slot, const char* symbol) {
    slot = reinterpret_cast<std::remove_reference_t<decltype(slot)>>(dlsym(library, symbol));
    if (slot == nullptr && loaded.error.empty()) loaded.error = name + " lacks " + symbol;
  };
  find(api.global_init, "curl_global_init");
  find(api.version_info, "curl_version_info");
  find(api.easy_init, "curl_easy_init");
  find(api.easy_cleanup, "curl_easy_cleanup");
  find(api.easy_setopt, "curl_easy_setopt");
  find(api.easy_perform, "curl_easy_perform");
  find(api.easy_getinfo, "curl_easy_getinfo");
  find(api.easy_strerror, "curl_easy_strerror");
  find(api.slist_append, "curl_slist_append");
  find(api.slist_free_all, "curl_slist_free_all");
  find(api.url, "curl_url");
  find(api.url_cleanup, "curl_url_cleanup");
  find(api.url_set, "curl_url_set");
  find(api.url_get, "curl_url_get");
  find(api.free, "curl_free");
  find(api.getdate, "curl_getdate");
  if (!loaded.error.empty()) return loaded;
  const auto* version = api.version_info(CURLVERSION_NOW);
  if (version == nullptr || version->version_num < k_min_curl_version) {
    loaded.error = name + " is libcurl " + (version != nullptr ? version->version : "?") + "; 7.85.0 or newer is needed";
    return loaded;
  }
  if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) loaded.error = name + ": curl_global_init failed";
  return loaded;
}

// Loaded (and curl_global_init run) once, on the first request of the process.
const LoadedCurl& loaded_curl() {
  static const LoadedCurl loaded = load_curl();
  return loaded;
}

// Only valid after loaded_curl() succeeded.
const CurlApi& curl() { return loaded_curl().api; }

struct EasyDeleter {
  void operator()(CURL* handle) const { curl().easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl().slist_free_all(list); }
};
struct UrlDeleter {
  void operator()(CURLU* url) const { curl().url_cleanup(url); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;

constexpr int k_max_redirects = 5;
constexpr std::array<std::string_view, 6> k_methods = {"GET",    "POST",  "PUT",
                                                       "DELETE", "PATCH", "HEAD"};

FailureKind failure_kind(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return FailureKind::resolve;
    case CURLE_COULDNT_CONNECT:
      return FailureKind::connect;
    case CURLE_OPERATION_TIMEDOUT:
      return FailureKind::timeout;
    case CURLE_ABORTED_BY_CALLBACK:  // only on_progress aborts
      return FailureKind::cancelled;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_USE_SSL_FAILED:
      return FailureKind::tls;
    case CURLE_FILESIZE_EXCEEDED:
      return FailureKind::too_large;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return FailureKind::bad_request;
    default:
      return FailureKind::other;
  }
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string trim(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  const auto end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

// What the callbacks fill in during one transfer.
struct Transfer {
  std::size_t max_bytes = 0;
  bool too_large = false;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const auto bytes = size * count;
  if (transfer.body.size() + bytes > transfer.max_bytes) {
    transfer.too_large = true;
    return 0;  // makes curl abort with CURLE_WRITE_ERROR
  }
  transfer.body.append(data, bytes);
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const auto bytes = size * count;
  const std::string_view line(data, bytes);
  if (line.starts_with("HTTP/")) {
    transfer.headers.clear();  // a new response (after 100 Continue) starts
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    transfer.headers.emplace_back(lower(trim(line.substr(0, colon))), trim(line.substr(colon + 1)));
  }
  return bytes;
}

// libcurl calls this often while bytes move and about once a second while
// none do; non-zero gives the transfer up (CURLE_ABORTED_BY_CALLBACK).
int on_progress(void* stop, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const Cancellation*>(stop)->cancelled() ? 1 : 0;
}

// scheme://host:port, lower-cased; empty when the URL does not parse.
std::string origin_of(const std::string& url) {
  UrlHandle handle(curl().url());
  if (!handle || curl().url_set(handle.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return {};
  std::string origin;
  for (auto part : {CURLUPART_SCHEME, CURLUPART_HOST, CURLUPART_PORT}) {
    char* value = nullptr;
    if (curl().url_get(handle.get(), part, &value, CURLU_DEFAULT_PORT) != CURLUE_OK) return {};
    origin += lower(value);
    origin += '|';
    curl().free(value);
  }
  return origin;
}

// Headers that may carry a credential: never sent to another origin.
bool is_credential_header(const std::string& name) {
  const auto n = lower(name);
  for (std::string_view word : {"auth", "token", "key", "secret", "cookie", "session"}) {
    if (n.find(word) != std::string::npos) return true;
  }
  return false;
}

bool has_line_break(const std::string& text) { return text.find_first_of("\r\n") != std::string::npos; }

class CurlHttpClient final : public HttpClient {
public:
  explicit CurlHttpClient(ClientOptions options) : m_options(std::move(options)) {}

  Result send(const Request& request) override;

private:
  // One hop, no redirect following; `request` carries this hop's method, url and body.
  struct Hop {
    Result result;
    std::optional<std::string> redirect_url;  // a 3xx with a Location
  };
  Hop perform(const Request& request) const;
  Failure failure(FailureKind kind, const Request& request, std::string_view detail) const;

  ClientOptions m_options;
};

Failure CurlHttpClient::failure(FailureKind kind, const Request& request,
                                std::string_view detail) const {
  return Failure{kind, redact(request.method + " " + request.url + ": " + std::string(detail))};
}

Result CurlHttpClient::send(const Request& request) {
  // A missing libcurl is the machine's problem, like an unreachable host: a
  // Failure, which makes a run inconclusive (exit 3), not a crash.
  if (const auto& loaded = loaded_curl(); !loaded.error.empty()) {
    return failure(FailureKind::other, request, loaded.error);
  }
  if (std::find(k_methods.begin(), k_methods.end(), request.method) == k_methods.end()) {
    return failure(FailureKind::bad_request, request, "unsupported method");
  }
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || has_line_break(name) || has_line_break(value)) {
      return failure(FailureKind::bad_request, request, "invalid header " + name);
    }
  }

  auto hop = request;
  std::chrono::microseconds elapsed{0};
  for (int redirects = 0;; ++redirects) {
    auto [result, location] = perform(hop);
    auto* response = std::get_if<Response>(&result);
    if (response == nullptr) return std::move(result);
    elapsed += response->elapsed;
    response->elapsed = elapsed;
    if (!request.follow_redirects || !location) return std::move(result);
    if (redirects == k_max_redirects) {
      return failure(FailureKind::other, request, "more than 5 redirects");
    }
    // Followed by hand, not CURLOPT_FOLLOWLOCATION: curl would forward custom
    // credential headers (PRIVATE-TOKEN, ...) to whatever host it is sent to.
    if (origin_of(*location) != origin_of(hop.url)) {
      std::erase_if(hop.headers, [](const auto& h) { return is_credential_header(h.first); });
    }
    const auto status = response->status;
    if ((status == 303 && hop.method != "HEAD") ||
        ((status == 301 || status == 302) && hop.method == "POST")) {
      hop.method = "GET";
      hop.body.clear();
    }
    hop.url = *location;
  }
}

CurlHttpClient::Hop CurlHttpClient::perform(const Request& request) const {
  const auto& api = curl();
  EasyHandle easy(curl().easy_init());
  if (!easy) return {failure(FailureKind::other, request, "curl_easy_init failed"), {}};
  CURL* h = easy.get();
  Transfer transfer;
  transfer.max_bytes = request.max_response_bytes;
  std::array<char, CURL_ERROR_SIZE> error{};

  HeaderList headers;
  const auto add_header = [&](const std::string& line) {
    auto* list = curl().slist_append(headers.get(), line.c_str());
    if (list != nullptr) {
      (void)headers.release();  // now owned by `list`
      headers.reset(list);
    }
  };
  for (const auto& [name, value] : request.headers) {
    add_header(value.empty() ? name + ";" : name + ": " + value);  // "Name;" sends an empty value
  }
  add_header("Expect:");  // no 100-continue round trip for large bodies

  api.easy_setopt(h, CURLOPT_URL, request.url.c_str());
  api.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // signals and threads do not mix
  api.easy_setopt(h, CURLOPT_ERRORBUFFER, error.data());
  api.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  // send() follows redirects itself; these only matter should that ever change.
  api.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  api.easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  api.easy_setopt(h, CURLOPT_MAXREDIRS, static_cast<long>(k_max_redirects));
  api.easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  api.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout.count()));
  api.easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(request.max_response_bytes));
  api.easy_setopt(h, CURLOPT_SSL_VERIFYPEER, m_options.verify_tls ? 1L : 0L);
  api.easy_setopt(h, CURLOPT_SSL_VERIFYHOST, m_options.verify_tls ? 2L : 0L);
  if (!m_options.ca_bundle.empty()) api.easy_setopt(h, CURLOPT_CAINFO, m_options.ca_bundle.c_str());
  api.easy_setopt(h, CURLOPT_USERAGENT, m_options.user_agent.c_str());
  api.easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  api.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  api.easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
  api.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  api.easy_setopt(h, CURLOPT_HEADERDATA, &transfer);
  if (request.stop != nullptr) {
    api.easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    api.easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    api.easy_setopt(h, CURLOPT_XFERINFODATA, request.stop);
  }

  if (request.method == "HEAD") {
    api.easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET" || !request.body.empty()) {
    api.easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    // POST/PUT/PATCH always carry a body, if empty, so Content-Length: 0 is sent.
    if (request.method != "DELETE" || !request.body.empty()) {
      api.easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
      api.easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    }
  }

  const auto code = api.easy_perform(h);
  if (transfer.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    return {failure(FailureKind::too_large, request,
                    "response larger than " + std::to_string(request.max_response_bytes) + " bytes"),
            {}};
  }
  if (code == CURLE_ABORTED_BY_CALLBACK && request.stop != nullptr) {
    return {failure(FailureKind::cancelled, request, request.stop->reason()), {}};
  }
  if (code != CURLE_OK) {
    const auto* detail = error[0] != '\0' ? error.data() : api.easy_strerror(code);
    return {failure(failure_kind(code), request, detail), {}};
  }

  Response response;
  api.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
  curl_off_t total_us = 0;
  api.easy_getinfo(h, CURLINFO_TOTAL_TIME_T, &total_us);
  response.elapsed = std::chrono::microseconds(total_us);
  response.headers = std::move(transfer.headers);
  response.body = std::move(transfer.body);
  Hop hop{std::move(response), {}};
  char* location = nullptr;  // absolute, resolved against the request URL by curl
  if (api.easy_getinfo(h, CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location != nullptr) {
    hop.redirect_url = location;
  }
  return hop;
}

}  // namespace

std::unique_ptr<HttpClient> make_curl_client(const ClientOptions& options) {
  return std::make_unique<CurlHttpClient>(options);
}

std::optional<std::time_t> parse_http_date(const std::string& text) {
  if (!loaded_curl().error.empty()) return std::nullopt;
  const std::time_t when = curl().getdate(text.c_str(), nullptr);
  if (when < 0) return std::nullopt;
  return when;
}

}  // namespace chaosgate::http
