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

void FieldLocations::assign(FileName file, std::span<const FieldPlace> places) {
  m_file = std::move(file);
  m_fields.assign(places.begin(), places.end());
}

std::optional<SourceLocation> FieldLocations::find(LocatedField field) const {
  for (const auto& entry : m_fields)
    if (entry.field == field) return SourceLocation{m_file, entry.line, entry.column};
  return std::nullopt;
}

}  // namespace chaosgate
