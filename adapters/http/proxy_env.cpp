#include "http/proxy_env.h"

#include <cctype>
#include <cstdlib>
#include <string_view>

namespace chaosgate::http {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool set_and_not_empty(const EnvLookup& env, const char* name) {
  const auto value = env(name);
  return value && !value->empty();
}

// One no_proxy entry against a lower-cased host.
bool exempts(std::string_view entry, const std::string& host) {
  if (entry == "*") return true;
  while (entry.starts_with('.')) entry.remove_prefix(1);
  if (entry.empty()) return false;
  const auto name = lower(entry);
  if (host == name) return true;
  return host.size() > name.size() && host.ends_with(name) && host[host.size() - name.size() - 1] == '.';
}

}  // namespace

std::optional<std::string> process_env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

bool proxy_may_apply(const std::string& host, const EnvLookup& env) {
  const bool proxy = set_and_not_empty(env, "http_proxy") || set_and_not_empty(env, "HTTP_PROXY") ||
                     set_and_not_empty(env, "all_proxy") || set_and_not_empty(env, "ALL_PROXY");
  if (!proxy) return false;
  auto no_proxy = env("no_proxy");
  if (!no_proxy || no_proxy->empty()) no_proxy = env("NO_PROXY");
  if (!no_proxy) return true;
  const auto name = lower(host);
  std::string_view list(*no_proxy);
  while (!list.empty()) {
    const auto end = list.find_first_of(", ");
    const auto entry = list.substr(0, end);
    if (exempts(entry, name)) return false;
    if (end == std::string_view::npos) break;
    list.remove_prefix(end + 1);
  }
  return true;
}

}  // namespace chaosgate::http
