#include "load/node_reader.h"

#include <algorithm>
#include <charconv>

#include "util/redact.h"
#include "util/text.h"

namespace chaosgate {

void DecodeContext::error(const Node& at, const std::string& path, std::string message) const {
  diagnostics.error(at.location, path, std::move(message));
}

void DecodeContext::warning(const Node& at, const std::string& path, std::string message) const {
  diagnostics.warning(at.location, path, std::move(message));
}

std::string child_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string child_path(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

bool looks_secret(std::string_view name) {
  std::string upper(name);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const char* marker : {"TOKEN", "SECRET", "PASSWORD", "PASSWD", "API_KEY", "APIKEY", "AUTH", "CREDENTIAL", "PRIVATE"})
    if (upper.find(marker) != std::string::npos) return true;
  return false;
}

std::optional<std::string> read_string(const Node& node, const std::string& path, const DecodeContext& context) {
  if (node.kind != Node::Kind::scalar) {
    context.error(node, path, "expected a string, found " + describe_kind(node));
    return std::nullopt;
  }
  auto result = interpolate(node.scalar(), context.variables);
  if (!result.syntax_error.empty()) {
    context.error(node, path, result.syntax_error);
    return std::nullopt;
  }
  for (const auto& name : result.unset)
    context.error(node, path, "variable ${" + name + "} is not set (give it a value, or a default: ${" + name + ":-value})");
  if (!result.unset.empty()) return std::nullopt;
  // A value from a secret-looking variable is masked in every log line and
  // report from now on, wherever it ends up (header, URL, command line).
  for (const auto& name : result.used)
    if (looks_secret(name))
      if (auto value = context.variables(name)) register_secret(*value);
  return std::move(result.text);
}

std::optional<long long> read_integer(const Node& node, const std::string& path, const DecodeContext& context,
                                      long long min, long long max) {
  auto text = node.kind == Node::Kind::scalar && !node.quoted ? std::optional<std::string>(node.scalar())
                                                              : std::nullopt;
  // A quoted value may still be an interpolated number: "${REDIS_PORT}".
  if (node.kind == Node::Kind::scalar && node.quoted && node.scalar().find("${") != std::string::npos)
    text = read_string(node, path, context);
  else if (node.kind == Node::Kind::scalar && node.quoted) {
    context.error(node, path, "expected an integer, found a string");
    return std::nullopt;
  }
  if (!text) {
    if (node.kind != Node::Kind::scalar) context.error(node, path, "expected an integer, found " + describe_kind(node));
    return std::nullopt;
  }
  long long value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size()) {
    context.error(node, path, "expected an integer, found " + in_quotes(*text));
    return std::nullopt;
  }
  if (value < min || value > max) {
    context.error(node, path, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", found " + *text);
    return std::nullopt;
  }
  return value;
}

ObjectReader::ObjectReader(const Node& node, std::string path, const DecodeContext& context, Names known)
    : m_node(node), m_path(std::move(path)), m_context(context), m_known(known),
      m_is_object(node.kind == Node::Kind::mapping) {
  if (!m_is_object) m_context.error(node, m_path, "expected an object, found " + describe_kind(node));
}

ObjectReader::~ObjectReader() { finish(); }

void ObjectReader::finish() {
  if (m_finished) return;
  m_finished = true;
  if (!m_is_object) return;
  for (const auto& entry : m_node.entries()) {
    if (std::find(m_known.begin(), m_known.end(), entry.key) != m_known.end()) continue;
    std::string message = "unknown field " + in_quotes(entry.key);
    if (auto hint = closest_match(entry.key, m_known)) message += "; did you mean " + in_quotes(*hint) + "?";
    m_context.diagnostics.error(entry.key_location, child_path(m_path, entry.key), message);
  }
}

const Node* ObjectReader::field(std::string_view name, bool required) {
  if (!m_is_object) return nullptr;
  const Node* value = m_node.find(name);
  if (!value && required) m_context.error(m_node, m_path, "missing required field " + in_quotes(name));
  return value;
}

std::optional<std::string> ObjectReader::string(std::string_view name, bool required) {
  const Node* value = field(name, required);
  if (!value) return std::nullopt;
  return read_string(*value, field_path(name), m_context);
}

std::optional<long long> ObjectReader::integer(std::string_view name, long long min, long long max, bool required) {
  const Node* value = field(name, required);
  if (!value) return std::nullopt;
  return read_integer(*value, field_path(name), m_context, min, max);
}

std::optional<bool> ObjectReader::boolean(std::string_view name) {
  const Node* value = field(name);
  if (!value) return std::nullopt;
  if (value->kind == Node::Kind::scalar && !value->quoted && (value->scalar() == "true" || value->scalar() == "false"))
    return value->scalar() == "true";
  m_context.error(*value, field_path(name), "expected true or false, found " + describe_kind(*value));
  return std::nullopt;
}

std::optional<Millis> ObjectReader::duration(std::string_view name, bool required) {
  const Node* value = field(name, required);
  if (!value) return std::nullopt;
  auto text = read_string(*value, field_path(name), m_context);
  if (!text) return std::nullopt;
  auto parsed = parse_duration(*text);
  if (!parsed) {
    m_context.error(*value, field_path(name),
                    "malformed duration " + in_quotes(*text) + "; write a number and a unit: 500ms, 30s, 2m, 1h, 1m30s");
  }
  return parsed;
}

std::optional<Comparison> ObjectReader::comparison(std::string_view name, bool duration_expected) {
  const Node* value = field(name);
  if (!value) return std::nullopt;
  auto text = read_string(*value, field_path(name), m_context);
  if (!text) return std::nullopt;
  auto parsed = parse_comparison(*text);
  if (!parsed) {
    m_context.error(*value, field_path(name),
                    "malformed tolerance " + in_quotes(*text) + "; write an operator and a value, e.g. " +
                        (duration_expected ? "\"<= 800ms\"" : "\">= 0.95\""));
    return std::nullopt;
  }
  if (duration_expected && !parsed->is_duration) {
    m_context.error(*value, field_path(name), "tolerance " + in_quotes(*text) + " needs a duration unit, e.g. \"<= 800ms\"");
    return std::nullopt;
  }
  if (!duration_expected && parsed->is_duration) {
    m_context.error(*value, field_path(name), "tolerance " + in_quotes(*text) + " compares a number, not a duration");
    return std::nullopt;
  }
  return parsed;
}

std::vector<std::string> ObjectReader::string_list(std::string_view name, bool required) {
  std::vector<std::string> out;
  const Node* value = field(name, required);
  if (!value) return out;
  const std::string path = field_path(name);
  if (value->kind != Node::Kind::sequence) {
    m_context.error(*value, path, "expected an array of strings, found " + describe_kind(*value));
    return out;
  }
  for (std::size_t i = 0; i < value->items().size(); ++i)
    if (auto item = read_string(*value->items()[i], child_path(path, i), m_context)) out.push_back(std::move(*item));
  return out;
}

std::map<std::string, std::string> ObjectReader::string_map(std::string_view name) {
  std::map<std::string, std::string> out;
  const Node* value = field(name);
  if (!value) return out;
  const std::string path = field_path(name);
  if (value->kind != Node::Kind::mapping) {
    m_context.error(*value, path, "expected an object of strings, found " + describe_kind(*value));
    return out;
  }
  for (const auto& entry : value->entries())
    if (auto text = read_string(*entry.value, child_path(path, entry.key), m_context)) out[std::string(entry.key)] = std::move(*text);
  return out;
}

std::optional<std::string> ObjectReader::choice(std::string_view name, Names allowed, bool required) {
  const Node* value = field(name, required);
  if (!value) return std::nullopt;
  auto text = read_string(*value, field_path(name), m_context);
  if (!text) return std::nullopt;
  if (std::find(allowed.begin(), allowed.end(), *text) != allowed.end()) return text;
  std::string message = in_quotes(*text) + " is not one of " + join(allowed, ", ");
  if (auto hint = closest_match(*text, allowed)) message += "; did you mean " + in_quotes(*hint) + "?";
  m_context.error(*value, field_path(name), message);
  return std::nullopt;
}

}  // namespace chaosgate
