#pragma once
// Where the fields a diagnostic or `promote --write` points at were written
// in a catalog entry or experiment, for use after the parsed tree is gone.
// The loader decides which fields are kept (suite_decoder.cpp).
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "model/source_location.h"

namespace chaosgate {

// The fields whose place is kept: named once, here, so that the loader's
// lists and the lookups cannot drift apart (a misspelt name used to fall back
// to the element's place without a word).
enum class LocatedField : std::uint8_t { owner, service, incident_category, status };

// The field's key in a suite file: "owner", "service", "incidentCategory", "status".
std::string_view field_key(LocatedField field);

// A flat list in file order, not a map: a std::map spent a tree node with
// its own file-name handle on each field (10.6 MB of a 10,000-experiment
// suite's load). Lookups are rare (a few cross-checks per element), so a
// linear search is the cheap side.
class FieldLocations {
public:
  // Every field of one file; `fields` is the number about to be added.
  void start(FileName file, std::size_t fields);
  // Keys are unique: the loader rejects duplicate keys before decoding.
  void add(LocatedField field, int line, int column);

  std::optional<SourceLocation> find(LocatedField field) const;

private:
  struct Field {
    LocatedField field;
    int line = 0;
    int column = 0;
  };
  FileName m_file;
  std::vector<Field> m_fields;
};

}  // namespace chaosgate
