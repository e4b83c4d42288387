#include "util/redact.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>
#include <vector>

namespace chaosgate {
namespace {

constexpr std::string_view k_mask = "***";
constexpr std::size_t k_min_secret_length = 4;
// Credentials written in a suite are registered only from 6 characters:
// "user:pass@" is a common example, and masking "pass" everywhere would turn
// every "passed" into "***ed". In a URL or header redact() masks them anyway.
constexpr std::size_t k_min_written_credential_length = 6;

// Header names whose values are credentials. Matched case-insensitively as a
// whole word, so "X-Api-Key" does not also need "Api-Key".
constexpr std::array<std::string_view, 8> k_secret_headers = {
    "authorization", "proxy-authorization", "private-token", "job-token",
    "x-api-key",     "cookie",              "set-cookie",    "x-auth-token"};

// Parameter names that say "credential" wherever they stand, so that
// "name=value" is masked in free text too: a command's output in an action's
// detail ("login failed: password=hunter2", "--token=abc").
constexpr std::array<std::string_view, 6> k_credential_params = {"token",    "access_token", "private_token",
                                                                 "password", "secret",       "api_key"};
// Credentials only in a query, after ?, & or ; ("cache key=cart:42" is no secret).
constexpr std::array<std::string_view, 2> k_query_credential_params = {"key", "sig"};

std::mutex g_secrets_mutex;
std::vector<std::string> g_secrets;  // longest first, so a secret containing another is masked whole

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool iequals_at(std::string_view text, std::size_t pos, std::string_view word) {
  if (text.size() - pos < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (lower(text[pos + i]) != word[i]) return false;
  }
  return true;
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
}

std::string mask_secrets(std::string text) {
  std::lock_guard lock(g_secrets_mutex);
  for (const auto& secret : g_secrets) {
    for (auto pos = text.find(secret); pos != std::string::npos;
         pos = text.find(secret, pos + k_mask.size())) {
      text.replace(pos, secret.size(), k_mask);
    }
  }
  return text;
}

// The user-info of the URL whose "://" is at `separator`, as [start, end) in
// `text` (empty when it has none). The authority ends at the first '/', '?',
// '#', whitespace or quote; its last '@' ends the user-info.
std::pair<std::size_t, std::size_t> user_info_span(std::string_view text, std::size_t separator) {
  const auto start = separator + 3;
  const auto end = text.find_first_of("/?#\"' \t\r\n<>", start);
  const auto at = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start).rfind('@');
  return {start, at == std::string_view::npos ? start : start + at};
}

// "scheme://user:pw@host" -> "scheme://***@host".
std::string mask_user_info(std::string text) {
  for (auto pos = text.find("://"); pos != std::string::npos; pos = text.find("://", pos + 3)) {
    if (pos == 0 || std::isalpha(static_cast<unsigned char>(text[pos - 1])) == 0) continue;
    const auto [start, end] = user_info_span(text, pos);
    if (end > start) text.replace(start, end - start, k_mask);
  }
  return text;
}

// The length of the credential parameter's name at `i` when '=' follows it
// ("token=", and after a separator also "key="), else 0.
std::size_t credential_param_at(std::string_view text, std::size_t i, bool after_separator) {
  const auto named = [&](std::string_view param) {
    return iequals_at(text, i, param) && i + param.size() < text.size() && text[i + param.size()] == '=';
  };
  for (const auto param : k_credential_params)
    if (named(param)) return param.size();
  if (after_separator)
    for (const auto param : k_query_credential_params)
      if (named(param)) return param.size();
  return 0;
}

// Position after "Scheme " when the value starts with an alphabetic word and a space.
std::size_t skip_auth_scheme(std::string_view text, std::size_t start, std::size_t end) {
  auto i = start;
  while (i < end && std::isalpha(static_cast<unsigned char>(text[i])) != 0) ++i;
  return i > start && i < end && text[i] == ' ' ? i + 1 : start;
}

// "Authorization: Bearer abc" -> "Authorization: Bearer ***"; also the JSON
// form "authorization": "..." that a dumped request may carry.
std::string mask_headers(std::string text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const bool at_word_start = i == 0 || !is_name_char(text[i - 1]);
    const auto* name = at_word_start ? std::find_if(k_secret_headers.begin(), k_secret_headers.end(),
                                                    [&](auto h) { return iequals_at(text, i, h); })
                                     : k_secret_headers.end();
    if (name == k_secret_headers.end() || (i + name->size() < text.size() &&
                                           is_name_char(text[i + name->size()]))) {
      out += text[i++];
      continue;
    }
    auto j = i + name->size();
    if (j < text.size() && text[j] == '"') ++j;
    while (j < text.size() && text[j] == ' ') ++j;
    if (j >= text.size() || (text[j] != ':' && text[j] != '=')) {
      out += text[i++];
      continue;
    }
    ++j;
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
    const bool quoted = j < text.size() && text[j] == '"';
    if (quoted) ++j;
    auto value_end = text.find_first_of(quoted ? "\"\r\n" : "\r\n", j);
    if (value_end == std::string::npos) value_end = text.size();
    // Keep an auth scheme ("Bearer", "Basic"): it helps debugging, reveals nothing.
    if (name->ends_with("authorization")) j = skip_auth_scheme(text, j, value_end);
    out.append(text, i, j - i);
    if (value_end > j) out += k_mask;
    i = value_end;
  }
  return out;
}

// "?token=abc&x=1" -> "?token=***&x=1"; "--password=abc" -> "--password=***".
std::string mask_query_params(std::string text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool after_separator = i == 0 || text[i - 1] == '?' || text[i - 1] == '&' || text[i - 1] == ';';
    const bool at_word_start = after_separator || (std::isalnum(static_cast<unsigned char>(text[i - 1])) == 0 && text[i - 1] != '_');
    if (!at_word_start) continue;
    const auto name = credential_param_at(text, i, after_separator);
    if (name == 0) continue;
    const auto start = i + name + 1;
    auto end = text.find_first_of("&#;\"' \t\r\n<>", start);
    if (end == std::string::npos) end = text.size();
    if (end > start) text.replace(start, end - start, k_mask);
  }
  return text;
}

}  // namespace

void register_secret(std::string_view value) {
  if (value.size() < k_min_secret_length) return;
  std::lock_guard lock(g_secrets_mutex);
  if (std::find(g_secrets.begin(), g_secrets.end(), value) != g_secrets.end()) return;
  const auto pos = std::find_if(g_secrets.begin(), g_secrets.end(),
                                [&](const std::string& s) { return s.size() < value.size(); });
  g_secrets.emplace(pos, value);
}

void register_written_credential(std::string_view value) {
  if (value.size() >= k_min_written_credential_length) register_secret(value);
}

void register_url_credentials(std::string_view url) {
  const auto separator = url.find("://");
  if (separator == std::string_view::npos) return;
  const auto [start, end] = user_info_span(url, separator);
  if (end > start) {
    const auto user_info = url.substr(start, end - start);
    const auto colon = user_info.find(':');
    register_written_credential(colon == std::string_view::npos ? user_info : user_info.substr(colon + 1));
  }
  const auto query = url.find('?', end);
  if (query == std::string_view::npos) return;
  const auto query_end = std::min(url.find('#', query), url.size());
  for (auto pos = query + 1; pos < query_end;) {
    const auto pair_end = std::min(url.find('&', pos), query_end);
    const auto pair = url.substr(pos, pair_end - pos);
    if (const auto name = credential_param_at(pair, 0, true); name != 0) register_written_credential(pair.substr(name + 1));
    pos = pair_end + 1;
  }
}

std::string redact(std::string_view text) {
  return mask_query_params(mask_headers(mask_user_info(mask_secrets(std::string(text)))));
}

}  // namespace chaosgate
