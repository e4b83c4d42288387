#include "util/diagnostics.h"

#include <algorithm>

namespace chaosgate {

std::string SourceLocation::to_string() const {
  if (line <= 0) return file;
  return file.str() + ":" + std::to_string(line) + ":" + std::to_string(column > 0 ? column : 1);
}

std::string Diagnostic::to_string() const {
  std::string text = location.to_string();
  text += severity == Severity::error ? ": error: " : ": warning: ";
  if (!path.empty()) text += path + ": ";
  return text + message;
}

void Diagnostics::error(SourceLocation where, std::string path, std::string message) {
  m_items.push_back({Severity::error, std::move(where), std::move(path), std::move(message)});
}

void Diagnostics::warning(SourceLocation where, std::string path, std::string message) {
  m_items.push_back({Severity::warning, std::move(where), std::move(path), std::move(message)});
}

void Diagnostics::append(const Diagnostics& other) {
  m_items.insert(m_items.end(), other.m_items.begin(), other.m_items.end());
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

std::size_t Diagnostics::error_count() const {
  return static_cast<std::size_t>(std::count_if(m_items.begin(), m_items.end(), [](const Diagnostic& d) {
    return d.severity == Severity::error;
  }));
}

std::size_t Diagnostics::warning_count() const { return m_items.size() - error_count(); }

void Diagnostics::sort_by_location() {
  // Stable: problems at the same place keep the order they were found in.
  std::stable_sort(m_items.begin(), m_items.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.location.file != b.location.file) return a.location.file < b.location.file;
    if (a.location.line != b.location.line) return a.location.line < b.location.line;
    return a.location.column < b.location.column;
  });
}

}  // namespace chaosgate
