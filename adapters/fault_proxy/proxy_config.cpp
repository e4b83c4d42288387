#include "fault_proxy/proxy_config.h"

#include <cstdlib>
#include <set>

#include "fault_proxy/socket_address.h"
#include "load/document.h"
#include "load/node_reader.h"
#include "util/errors.h"
#include "util/file_text.h"

namespace chaosgate::fault_proxy {
namespace {

std::optional<std::string> environment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  return value == nullptr ? std::nullopt : std::optional<std::string>(value);
}

[[noreturn]] void refuse(const std::string& path, const Diagnostics& diagnostics) {
  std::string message = "invalid proxy config " + path + ":";
  for (const auto& d : diagnostics.items()) message += "\n  " + d.to_string();
  throw UserError(message, diagnostics);
}

}  // namespace

std::vector<ConfiguredProxy> read_proxy_config(const std::string& path) {
  const FileText content = read_file_text(path);
  if (!content) throw UserError("cannot read proxy config " + path + ": " + content.reason);

  Diagnostics diagnostics;
  const NodePtr root = parse_document(path, content.text, "json", diagnostics);
  if (!root) refuse(path, diagnostics);
  const DecodeContext context{diagnostics, environment};
  std::vector<ConfiguredProxy> proxies;
  if (root->kind != Node::Kind::sequence) {
    context.error(*root, "", "expected an array of proxies, found " + describe_kind(*root));
    refuse(path, diagnostics);
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < root->items().size(); ++i) {
    const Node& item = *root->items()[i];
    static constexpr std::string_view k_proxy_fields[] = {"name", "listen", "upstream", "enabled"};
    ObjectReader reader(item, child_path("", i), context, k_proxy_fields);
    if (!reader.is_object()) continue;
    ConfiguredProxy proxy;
    proxy.location = item.location;
    proxy.name = reader.string("name", true).value_or("");
    proxy.listen = reader.string("listen").value_or("127.0.0.1:0");
    proxy.upstream = reader.string("upstream", true).value_or("");
    proxy.enabled = reader.boolean("enabled").value_or(true);
    reader.finish();
    if (const Node* name = item.find("name"); name != nullptr && !proxy.name.empty() && !names.insert(proxy.name).second)
      context.error(*name, reader.field_path("name"), "proxy " + proxy.name + " is defined twice");
    if (const Node* listen = item.find("listen"); listen != nullptr && !resolve_address(proxy.listen))
      context.error(*listen, reader.field_path("listen"), "expected host:port, found \"" + proxy.listen + "\"");
    if (const Node* upstream = item.find("upstream"); upstream != nullptr && !proxy.upstream.empty() &&
                                                       proxy.upstream.rfind(':') == std::string::npos)
      context.error(*upstream, reader.field_path("upstream"), "expected host:port, found \"" + proxy.upstream + "\"");
    proxies.push_back(std::move(proxy));
  }
  if (diagnostics.has_errors()) refuse(path, diagnostics);
  return proxies;
}

}  // namespace chaosgate::fault_proxy
