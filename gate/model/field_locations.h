#pragma once
// Where the fields a diagnostic or `promote --write` points at were written
// in a catalog entry or experiment, for use after the parsed tree is gone.
// The loader decides which fields are kept (suite_decoder.cpp).
#include <cstdint>
#include <optional>
#include <span>
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

// Where one field's value starts, in the file of its FieldLocations.
struct FieldPlace {
  LocatedField field = LocatedField::owner;
  int line = 0;
  int column = 0;
  bool operator==(const FieldPlace&) const = default;
};

// A flat list in file order, not a map: a std::map spent a tree node with
// its own file-name handle on each field (10.6 MB of a 10,000-experiment
// suite's load). Lookups are rare (a few cross-checks per element), so a
// linear search is the cheap side.
class FieldLocations {
public:
  // The places of one element's fields, all in `file`, replacing any kept
  // before. Fields are unique: the loader rejects duplicate keys first.
  void assign(FileName file, std::span<const FieldPlace> places);

  std::optional<SourceLocation> find(LocatedField field) const;

  // What assign() was given, to write it elsewhere and assign it again.
  const FileName& file() const { return m_file; }
  std::span<const FieldPlace> places() const { return m_fields; }

  bool operator==(const FieldLocations&) const = default;

private:
  FileName m_file;
  std::vector<FieldPlace> m_fields;
};

}  // namespace chaosgate
