#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <sstream>

#include "support/yaml_cpp_tree.h"

#include "load/tree_builder.h"

namespace chaosgate::test {

namespace {

// yaml-cpp's events, handed to the TreeBuilder with 1-based positions.
class YamlEvents : public YAML::EventHandler {
public:
  explicit YamlEvents(TreeBuilder& builder) : m_builder(builder) {}

  int documents() const { return m_documents; }

  void OnDocumentStart(const YAML::Mark&) override { ++m_documents; }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { m_builder.null(line(mark), column(mark), anchor); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override { m_builder.alias(line(mark), column(mark), anchor); }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, const std::string& value) override {
    // yaml-cpp tags quoted and block scalars "!", plain ones "?"; an explicit
    // !!str also makes it a string.
    const bool quoted = tag == "!" || tag == "tag:yaml.org,2002:str";
    m_builder.scalar(line(mark), column(mark), value, quoted, anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    m_builder.start_sequence(line(mark), column(mark), anchor);
  }
  void OnSequenceEnd() override { m_builder.end_sequence(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    m_builder.start_mapping(line(mark), column(mark), anchor);
  }
  void OnMapEnd() override { m_builder.end_mapping(); }

private:
  static int line(const YAML::Mark& mark) { return mark.line + 1; }
  static int column(const YAML::Mark& mark) { return mark.column + 1; }

  TreeBuilder& m_builder;
  int m_documents = 0;
};

}  // namespace

NodePtr tree_from_yaml_cpp(const FileName& file, std::string_view content, Diagnostics& diagnostics,
                           const ParseLimits& limits) {
  TreeBuilder builder(file, limits, content.size());
  YamlEvents events(builder);
  try {
    std::istringstream stream{std::string(content)};
    YAML::Parser parser(stream);
    while (parser.HandleNextDocument(events)) {
      if (events.documents() > 1) {
        diagnostics.error({file, 0, 0}, "", "several YAML documents in one file; put each in its own file of a suite directory");
        return nullptr;
      }
    }
  } catch (const StopParsing& stop) {
    diagnostics.error(stop.where, "", stop.message);
    return nullptr;
  } catch (const YAML::Exception& e) {
    std::string message = e.msg;
    if (dynamic_cast<const YAML::DeepRecursion*>(&e)) message = "nesting too deep";
    diagnostics.error({file, e.mark.line + 1, e.mark.column + 1}, "", "invalid YAML: " + message);
    return nullptr;
  }
  NodePtr root = builder.root();
  if (!root) diagnostics.error({file, 1, 1}, "", "file is empty");
  return root;
}

}  // namespace chaosgate::test
