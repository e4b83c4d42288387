#include "load/document.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_set>

#include "util/text.h"

namespace chaosgate {

const MapEntry* Node::find_entry(std::string_view key) const {
  for (const auto& entry : entries)
    if (entry.key == key) return &entry;
  return nullptr;
}

const Node* Node::find(std::string_view key) const {
  const MapEntry* entry = find_entry(key);
  return entry ? entry->value.get() : nullptr;
}

std::string describe_kind(const Node& node) {
  switch (node.kind) {
    case Node::Kind::null: return "null";
    case Node::Kind::sequence: return "an array";
    case Node::Kind::mapping: return "an object";
    case Node::Kind::scalar: break;
  }
  if (node.quoted) return "a string";
  const std::string& s = node.scalar;
  if (s == "true" || s == "false") return "a boolean";
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  if (!s.empty() && end == s.c_str() + s.size()) return "a number";
  return "a string";
}

namespace {

// Stops the yaml-cpp parser from inside a handler; carries the diagnostic.
struct StopParsing {
  SourceLocation where;
  std::string message;
};

// Builds Nodes from yaml-cpp's events; checks duplicate keys, depth and size as
// it goes so a hostile file is rejected before it costs memory or stack.
class TreeBuilder : public YAML::EventHandler {
public:
  TreeBuilder(FileName file, const ParseLimits& limits) : m_file(std::move(file)), m_limits(limits) {}

  NodePtr root() const { return m_root; }
  int documents() const { return m_documents; }

  void OnDocumentStart(const YAML::Mark&) override { ++m_documents; }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto node = make(Node::Kind::null, mark);
    finish(node, anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = m_anchors.find(anchor);
    if (it == m_anchors.end()) throw StopParsing{at(mark), "unknown alias"};
    // An alias shares the node, but everything downstream walks it again:
    // count its whole weight so nested aliases cannot explode ("billion laughs").
    m_nodes += weight(it->second.get());
    if (m_nodes > m_limits.max_nodes) throw StopParsing{at(mark), "aliases expand to too many values"};
    attach(it->second);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    auto node = make(Node::Kind::scalar, mark);
    node->scalar = value;
    // yaml-cpp tags quoted and block scalars "!", plain ones "?"; an explicit
    // !!str also makes it a string.
    node->quoted = tag == "!" || tag == "tag:yaml.org,2002:str";
    finish(node, anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(make(Node::Kind::sequence, mark), anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(make(Node::Kind::mapping, mark), anchor);
  }
  void OnMapEnd() override {
    if (m_stack.back().pending_key) throw StopParsing{m_stack.back().node->location, "mapping key without a value"};
    close();
  }

private:
  struct Frame {
    std::shared_ptr<Node> node;
    YAML::anchor_t anchor = 0;
    bool pending_key = false;  // mappings: a key was read, its value comes next
    std::string key;
    SourceLocation key_location;
    std::unordered_set<std::string> keys;
  };

  SourceLocation at(const YAML::Mark& mark) const { return {m_file, mark.line + 1, mark.column + 1}; }

  std::shared_ptr<Node> make(Node::Kind kind, const YAML::Mark& mark) {
    if (++m_nodes > m_limits.max_nodes)
      throw StopParsing{at(mark), "more than " + std::to_string(m_limits.max_nodes) + " values; a suite this large is not supported"};
    auto node = std::make_shared<Node>();
    node->kind = kind;
    node->location = at(mark);
    return node;
  }

  void open(std::shared_ptr<Node> node, YAML::anchor_t anchor) {
    if (static_cast<int>(m_stack.size()) >= m_limits.max_depth)
      throw StopParsing{node->location, "nesting deeper than " + std::to_string(m_limits.max_depth) + " levels"};
    // A collection used as a mapping key is not a field name we could ever accept.
    if (!m_stack.empty() && m_stack.back().node->kind == Node::Kind::mapping && !m_stack.back().pending_key)
      throw StopParsing{node->location, "a mapping key must be a plain string"};
    m_stack.push_back(Frame{std::move(node), anchor, false, {}, {}, {}});
  }

  void close() {
    Frame frame = std::move(m_stack.back());
    m_stack.pop_back();
    finish(frame.node, frame.anchor);
  }

  void finish(const std::shared_ptr<Node>& node, YAML::anchor_t anchor) {
    if (anchor) {
      m_anchors[anchor] = node;
      std::size_t total = 1;
      for (const auto& item : node->items) total += weight(item.get());
      for (const auto& entry : node->entries) total += 1 + weight(entry.value.get());
      m_weights[node.get()] = total;
    }
    attach(node);
  }

  std::size_t weight(const Node* node) const {
    const auto it = m_weights.find(node);
    if (it != m_weights.end()) return it->second;
    std::size_t total = 1;
    for (const auto& item : node->items) total += weight(item.get());
    for (const auto& entry : node->entries) total += 1 + weight(entry.value.get());
    return total;
  }

  void attach(const NodePtr& node) {
    if (m_stack.empty()) {
      m_root = node;
      return;
    }
    Frame& parent = m_stack.back();
    if (parent.node->kind == Node::Kind::sequence) {
      parent.node->items.push_back(node);
      return;
    }
    if (!parent.pending_key) {
      if (node->kind != Node::Kind::scalar) throw StopParsing{node->location, "a mapping key must be a plain string"};
      if (!parent.keys.insert(node->scalar).second) {
        const MapEntry* first = parent.node->find_entry(node->scalar);
        throw StopParsing{node->location, "duplicate key " + in_quotes(node->scalar) +
                                              (first ? " (first defined at line " + std::to_string(first->key_location.line) + ")" : "")};
      }
      parent.pending_key = true;
      parent.key = node->scalar;
      parent.key_location = node->location;
      return;
    }
    parent.node->entries.push_back(MapEntry{std::move(parent.key), parent.key_location, node});
    parent.pending_key = false;
  }

  FileName m_file;  // shared by every location of the tree
  ParseLimits m_limits;
  std::vector<Frame> m_stack;
  std::map<YAML::anchor_t, NodePtr> m_anchors;
  std::map<const Node*, std::size_t> m_weights;  // subtree sizes of anchored nodes
  NodePtr m_root;
  std::size_t m_nodes = 0;
  int m_documents = 0;
};

// Strict JSON syntax check first: YAML would accept comments, single quotes and
// unquoted strings in a .json file. The SAX form builds nothing, so depth and
// size cost no memory.
class JsonSyntaxCheck : public nlohmann::json_sax<nlohmann::json> {
public:
  std::size_t error_offset = 0;
  std::string error_message;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
    error_offset = position;
    error_message = e.what();
    return false;
  }
};

std::string json_error_text(const std::string& what) {
  // nlohmann: "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error while parsing object - ..."
  const auto dash = what.find(" - ");
  std::string text = dash == std::string::npos ? what : what.substr(dash + 3);
  return "invalid JSON: " + text;
}

bool check_encoding(const FileName& file, std::string_view content, Diagnostics& diagnostics) {
  const SourceLocation start{file, 1, 1};
  auto starts_with = [&](std::string_view prefix) { return content.substr(0, prefix.size()) == prefix; };
  if (starts_with("\xEF\xBB\xBF")) {
    diagnostics.error(start, "", "file starts with a UTF-8 byte order mark; save it as UTF-8 without BOM");
    return false;
  }
  if (starts_with("\xFF\xFE") || starts_with("\xFE\xFF")) {
    diagnostics.error(start, "", "file is UTF-16 encoded; suites must be UTF-8");
    return false;
  }
  if (const auto nul = content.find('\0'); nul != std::string_view::npos) {
    const auto [line, column] = line_and_column(content, nul);
    diagnostics.error({file, line, column}, "", "file contains a NUL byte: binary data, not a suite");
    return false;
  }
  if (const auto bad = find_invalid_utf8(content)) {
    const auto [line, column] = line_and_column(content, *bad);
    diagnostics.error({file, line, column}, "", "invalid UTF-8 byte sequence");
    return false;
  }
  if (content.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    diagnostics.error(start, "", "file is empty");
    return false;
  }
  return true;
}

}  // namespace

NodePtr parse_document(const std::string& name, std::string_view content, std::string_view format,
                       Diagnostics& diagnostics, const ParseLimits& limits) {
  const FileName file_name(name);
  if (content.size() > limits.max_bytes) {
    diagnostics.error({file_name, 0, 0}, "",
                      "file is " + std::to_string(content.size() / (1024 * 1024)) + " MiB; the limit for a suite file is " +
                          std::to_string(limits.max_bytes / (1024 * 1024)) + " MiB");
    return nullptr;
  }
  if (!check_encoding(file_name, content, diagnostics)) return nullptr;

  if (format == "json") {
    JsonSyntaxCheck check;
    if (!nlohmann::json::sax_parse(content, &check)) {
      // nlohmann reports the offset one past the offending character.
      const auto [line, column] = line_and_column(content, check.error_offset > 0 ? check.error_offset - 1 : 0);
      diagnostics.error({file_name, line, column}, "", json_error_text(check.error_message));
      return nullptr;
    }
  }

  TreeBuilder builder(file_name, limits);
  try {
    std::istringstream stream{std::string(content)};
    YAML::Parser parser(stream);
    while (parser.HandleNextDocument(builder)) {
      if (builder.documents() > 1) {
        diagnostics.error({file_name, 0, 0}, "", "several YAML documents in one file; put each in its own file of a suite directory");
        return nullptr;
      }
    }
  } catch (const StopParsing& stop) {
    diagnostics.error(stop.where, "", stop.message);
    return nullptr;
  } catch (const YAML::Exception& e) {
    std::string message = e.msg;
    if (dynamic_cast<const YAML::DeepRecursion*>(&e)) message = "nesting too deep";
    diagnostics.error({file_name, e.mark.line + 1, e.mark.column + 1}, "", "invalid YAML: " + message);
    return nullptr;
  }
  if (!builder.root()) {
    diagnostics.error({file_name, 1, 1}, "", "file is empty");
    return nullptr;
  }
  return builder.root();
}

}  // namespace chaosgate
