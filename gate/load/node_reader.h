#pragma once
// Typed access to a document tree that records every problem (wrong type,
// missing or unknown field, bad duration...) instead of stopping at the first,
// so `validate` can report them all.
#include <initializer_list>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "load/document.h"
#include "load/interpolate.h"
#include "model/comparison.h"
#include "model/duration.h"
#include "util/diagnostics.h"

namespace chaosgate {

struct DecodeContext {
  Diagnostics& diagnostics;
  VariableLookup variables;  // for ${VAR}

  void error(const Node& at, const std::string& path, std::string message) const;
  void warning(const Node& at, const std::string& path, std::string message) const;
};

// Child path: "a" + "b" -> "a.b"; "a" + 3 -> "a[3]".
std::string child_path(const std::string& path, std::string_view key);
std::string child_path(const std::string& path, std::size_t index);

// A list of field or choice names: a view of a constant array, never copied
// (the lists were std::vectors built at start-up by every command and copied
// into each of the ~10 readers of every experiment).
using Names = std::span<const std::string_view>;

// Reads one mapping. Fields not named in `known` are reported on finish() with
// a "did you mean" hint; fields read but absent yield nullopt or the default.
// `known` must outlive the reader.
class ObjectReader {
public:
  ObjectReader(const Node& node, std::string path, const DecodeContext& context, Names known);
  ~ObjectReader();
  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;

  bool is_object() const { return m_is_object; }
  const Node& node() const { return m_node; }
  const std::string& path() const { return m_path; }
  const DecodeContext& context() const { return m_context; }

  // The raw field, or nullptr when absent (or not an object). Reports it when
  // `required` and absent.
  const Node* field(std::string_view name, bool required = false);
  std::string field_path(std::string_view name) const { return child_path(m_path, name); }

  std::optional<std::string> string(std::string_view name, bool required = false);
  std::optional<long long> integer(std::string_view name, long long min, long long max, bool required = false);
  std::optional<bool> boolean(std::string_view name);
  std::optional<Millis> duration(std::string_view name, bool required = false);
  std::optional<Comparison> comparison(std::string_view name, bool duration_expected);
  std::vector<std::string> string_list(std::string_view name, bool required = false);
  // A free-form object of strings (headers, env, variables): any key is fine.
  std::map<std::string, std::string> string_map(std::string_view name);
  // One of `allowed`, reported with a hint when not.
  std::optional<std::string> choice(std::string_view name, Names allowed, bool required = false);

  // Reports unknown fields (also done by the destructor if not called).
  void finish();

private:
  const Node& m_node;
  std::string m_path;
  const DecodeContext& m_context;
  Names m_known;
  bool m_is_object;
  bool m_finished = false;
};

// True for variable names that hold credentials (…TOKEN, …SECRET, …PASSWORD,
// …API_KEY, …AUTH…): their values are registered with redact().
bool looks_secret(std::string_view name);

// Scalar conversions with the same reporting, for values outside objects.
std::optional<std::string> read_string(const Node& node, const std::string& path, const DecodeContext& context);
std::optional<long long> read_integer(const Node& node, const std::string& path, const DecodeContext& context,
                                      long long min, long long max);

// Every field list of the decoders, for the schema consistency test:
// $defs name -> fields (suite_decoder.cpp).
struct FieldTable {
  std::string_view name;
  Names fields;
};
std::span<const FieldTable> decoder_field_tables();

}  // namespace chaosgate
