#include "model/field_locations.h"

namespace chaosgate {

std::string_view field_key(LocatedField field) {
  switch (field) {
    case LocatedField::owner: return "owner";
    case LocatedField::service: return "service";
    case LocatedField::incident_category: return "incidentCategory";
    case LocatedField::status: return "status";
  }
  return "";
}

void FieldLocations::start(FileName file, std::size_t fields) {
  m_file = std::move(file);
  m_fields.clear();
  m_fields.reserve(fields);
}

void FieldLocations::add(LocatedField field, int line, int column) {
  m_fields.push_back({field, line, column});
}

std::optional<SourceLocation> FieldLocations::find(LocatedField field) const {
  for (const auto& entry : m_fields)
    if (entry.field == field) return SourceLocation{m_file, entry.line, entry.column};
  return std::nullopt;
}

}  // namespace chaosgate
