#include "model/field_locations.h"

namespace chaosgate {

void FieldLocations::start(FileName file, std::size_t fields) {
  m_file = std::move(file);
  m_fields.clear();
  m_fields.reserve(fields);
}

void FieldLocations::add(std::string_view field, int line, int column) {
  m_fields.push_back({field, line, column});
}

std::optional<SourceLocation> FieldLocations::find(std::string_view field) const {
  for (const auto& entry : m_fields)
    if (entry.name == field) return SourceLocation{m_file, entry.line, entry.column};
  return std::nullopt;
}

}  // namespace chaosgate
