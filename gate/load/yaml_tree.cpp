#include <yaml.h>

#include <map>
#include <string>

#include "load/tree_builder.h"
#include "load/tree_readers.h"

namespace chaosgate {

namespace {

// libyaml, not yaml-cpp, reads YAML: yaml-cpp's scanner matched a regular
// expression per character and was ~85 % of `validate`'s instructions on the
// example suite (18.6 of 21.8 million). The tree is yaml-cpp's, positions
// included, on every YAML file of the repository, on edge cases and on
// randomly edited copies of those files (tests/gate/load/yaml_tree_test.cpp),
// but for two differences on purpose (an empty value's position; an unclosed
// quote, now refused), two escapes yaml-cpp encoded wrong, and a little YAML
// that libyaml refuses, with line and column, where yaml-cpp read it.

constexpr const char* k_string_tag = "tag:yaml.org,2002:str";

struct ParserHandle {
  yaml_parser_t parser;
  ParserHandle() { yaml_parser_initialize(&parser); }
  ~ParserHandle() { yaml_parser_delete(&parser); }
  ParserHandle(const ParserHandle&) = delete;
  ParserHandle& operator=(const ParserHandle&) = delete;
};

struct EventHandle {
  yaml_event_t event{};
  bool set = false;
  ~EventHandle() { reset(); }
  void reset() {
    if (set) yaml_event_delete(&event);
    set = false;
  }
};

int line(const yaml_mark_t& mark) { return static_cast<int>(mark.line) + 1; }
int column(const yaml_mark_t& mark) { return static_cast<int>(mark.column) + 1; }

// A plain scalar that YAML's core schema reads as null; yaml-cpp gave these,
// and empty nodes, as nulls rather than as scalars.
bool is_null_text(std::string_view text) {
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

// Anchors are names in libyaml and numbers in the builder (1, 2, ...); a name
// defined again refers to its latest node from there on, as YAML says.
class AnchorNumbers {
public:
  TreeBuilder::Anchor define(const yaml_char_t* name) {
    if (name == nullptr) return 0;
    return m_numbers[reinterpret_cast<const char*>(name)] = ++m_last;
  }
  // 0 when never defined: the builder reports it as an unknown alias.
  TreeBuilder::Anchor find(const yaml_char_t* name) const {
    const auto it = m_numbers.find(reinterpret_cast<const char*>(name));
    return it == m_numbers.end() ? 0 : it->second;
  }

private:
  std::map<std::string, TreeBuilder::Anchor> m_numbers;
  TreeBuilder::Anchor m_last = 0;
};

// libyaml's error: its problem, where it was found, and the construct it was in.
std::string error_text(const yaml_parser_t& parser) {
  std::string text = parser.problem ? parser.problem : "malformed document";
  if (parser.context)
    text += " (" + std::string(parser.context) + " started at line " + std::to_string(line(parser.context_mark)) +
            ", column " + std::to_string(column(parser.context_mark)) + ")";
  return text;
}

}  // namespace

NodePtr tree_from_yaml(const FileName& file, std::string_view content, Diagnostics& diagnostics,
                       const ParseLimits& limits) {
  TreeBuilder builder(file, limits, content.size());
  ParserHandle handle;
  yaml_parser_set_input_string(&handle.parser, reinterpret_cast<const unsigned char*>(content.data()), content.size());
  AnchorNumbers anchors;
  int documents = 0;
  EventHandle current;
  try {
    for (bool ended = false; !ended;) {
      current.reset();
      if (!yaml_parser_parse(&handle.parser, &current.event)) {
        const yaml_mark_t& at = handle.parser.problem_mark;
        diagnostics.error({file, line(at), column(at)}, "", "invalid YAML: " + error_text(handle.parser));
        return nullptr;
      }
      current.set = true;
      const yaml_event_t& event = current.event;
      const yaml_mark_t& mark = event.start_mark;
      switch (event.type) {
        case YAML_STREAM_END_EVENT:
          ended = true;
          break;
        case YAML_DOCUMENT_START_EVENT:
          if (++documents > 1) {
            diagnostics.error({file, 0, 0}, "",
                              "several YAML documents in one file; put each in its own file of a suite directory");
            return nullptr;
          }
          break;
        case YAML_SCALAR_EVENT: {
          const auto& scalar = event.data.scalar;
          const std::string_view value(reinterpret_cast<const char*>(scalar.value), scalar.length);
          const char* tag = reinterpret_cast<const char*>(scalar.tag);
          const bool plain = scalar.style == YAML_PLAIN_SCALAR_STYLE;
          const TreeBuilder::Anchor anchor = anchors.define(scalar.anchor);
          // As yaml-cpp: a quoted or block scalar without a tag, or one tagged
          // "!" or !!str, is a string; a plain one untagged may be a null.
          const bool quoted = tag ? (std::string_view(tag) == "!" || std::string_view(tag) == k_string_tag) : !plain;
          if (plain && !tag && is_null_text(value))
            builder.null(line(mark), column(mark), anchor);
          else
            builder.scalar(line(mark), column(mark), value, quoted, anchor);
          break;
        }
        case YAML_ALIAS_EVENT:
          builder.alias(line(mark), column(mark), anchors.find(event.data.alias.anchor));
          break;
        case YAML_SEQUENCE_START_EVENT:
          builder.start_sequence(line(mark), column(mark), anchors.define(event.data.sequence_start.anchor));
          break;
        case YAML_SEQUENCE_END_EVENT:
          builder.end_sequence();
          break;
        case YAML_MAPPING_START_EVENT:
          builder.start_mapping(line(mark), column(mark), anchors.define(event.data.mapping_start.anchor));
          break;
        case YAML_MAPPING_END_EVENT:
          builder.end_mapping();
          break;
        default:  // stream start, document end, none
          break;
      }
    }
  } catch (const StopParsing& stop) {
    diagnostics.error(stop.where, "", stop.message);
    return nullptr;
  }
  NodePtr root = builder.root();
  if (!root) diagnostics.error({file, 1, 1}, "", "file is empty");
  return root;
}

}  // namespace chaosgate
