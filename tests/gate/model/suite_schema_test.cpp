// The JSON Schema printed by `chaosgate schema` must describe exactly the
// fields the decoder reads: a field added to one and not the other fails here.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "load/node_reader.h"

namespace chaosgate {
extern const char* const k_suite_schema_text;
}

namespace chaosgate {
namespace {

using nlohmann::json;

json embedded_schema() { return json::parse(k_suite_schema_text); }

// The schema object for a decoder table: the root for "suite", else $defs/<table>.
const json& schema_for(const json& schema, std::string_view table) {
  return table == "suite" ? schema : schema.at("$defs").at(std::string(table));
}

TEST(SuiteSchema, IsJsonSchema2020) {
  const json schema = embedded_schema();
  EXPECT_EQ(schema.at("$schema"), "https://json-schema.org/draft/2020-12/schema");
  EXPECT_EQ(schema.at("properties").at("apiVersion").at("const"), "chaosgate/v1");
}

TEST(SuiteSchema, ListsExactlyTheFieldsTheDecoderReads) {
  const json schema = embedded_schema();
  for (const auto& [table, fields] : decoder_field_tables()) {
    SCOPED_TRACE(table);
    ASSERT_TRUE(table == "suite" || schema.at("$defs").contains(table)) << "no $defs entry for " << table;
    const json& object = schema_for(schema, table);
    std::set<std::string> in_schema;
    for (const auto& [name, _] : object.at("properties").items()) in_schema.insert(name);
    EXPECT_EQ(in_schema, std::set<std::string>(fields.begin(), fields.end()));
    // Unknown fields are errors for the decoder, so they must be for the schema too.
    EXPECT_EQ(object.at("additionalProperties"), false);
  }
}

TEST(SuiteSchema, EveryObjectDefinitionIsADecoderTable) {
  const json schema = embedded_schema();
  std::set<std::string> tables;
  for (const auto& entry : decoder_field_tables()) tables.emplace(entry.name);
  for (const auto& [name, definition] : schema.at("$defs").items()) {
    if (definition.value("type", "") == "object" && definition.contains("properties")) {
      EXPECT_TRUE(tables.count(name)) << "$defs/" << name << " describes fields no decoder reads";
    }
  }
}

TEST(SuiteSchema, EveryFieldIsDescribed) {
  const json schema = embedded_schema();
  for (const auto& [table, fields] : decoder_field_tables()) {
    const json& properties = schema_for(schema, table).at("properties");
    for (const auto& field : fields) {
      const json& property = properties.at(std::string(field));
      EXPECT_TRUE(property.contains("description") || property.contains("$ref")) << table << "." << field;
    }
  }
}

TEST(SuiteSchema, EveryReferenceResolves) {
  const json schema = embedded_schema();
  std::vector<const json*> pending = {&schema};
  int references = 0;
  while (!pending.empty()) {
    const json* node = pending.back();
    pending.pop_back();
    if (node->is_object() && node->contains("$ref")) {
      const std::string target = node->at("$ref");
      ASSERT_EQ(target.rfind("#/$defs/", 0), 0u) << target;
      EXPECT_TRUE(schema.at("$defs").contains(target.substr(8))) << target;
      ++references;
    }
    if (node->is_structured())
      for (const auto& child : *node) pending.push_back(&child);
  }
  EXPECT_GT(references, 20);
}

}  // namespace
}  // namespace chaosgate
