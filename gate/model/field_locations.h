#pragma once
// Where the fields a diagnostic or `promote --write` points at were written
// in a catalog entry or experiment, for use after the parsed tree is gone.
// The loader decides which fields are kept (suite_decoder.cpp).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/source_location.h"

namespace chaosgate {

// A flat list in file order, not a map: a std::map spent a tree node with
// its own file-name handle on each field (10.6 MB of a 10,000-experiment
// suite's load). A name is a view of the loader's list of fields, not a
// copy. Lookups are rare (a few cross-checks per element), so a linear search
// is the cheap side.
class FieldLocations {
public:
  // Every field of one file; `fields` is the number about to be added.
  void start(FileName file, std::size_t fields);
  // Keys are unique: the loader rejects duplicate keys before decoding.
  // `field` is not copied: a name from the loader's static field lists (or a
  // literal), which outlive every suite.
  void add(std::string_view field, int line, int column);

  std::optional<SourceLocation> find(std::string_view field) const;

private:
  struct Field {
    std::string_view name;
    int line = 0;
    int column = 0;
  };
  FileName m_file;
  std::vector<Field> m_fields;
};

}  // namespace chaosgate
