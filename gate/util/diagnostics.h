#pragma once
// Problems found in user input, collected so `validate` can report all of
// them at once, each as "file:line:col: error: <json path>: message".
#include <string>
#include <vector>

#include "model/source_location.h"

namespace chaosgate {

enum class Severity { error, warning };

struct Diagnostic {
  Severity severity = Severity::error;
  SourceLocation location;
  std::string path;  // JSON path into the document, e.g. "experiments[2].probes[0].url"
  std::string message;

  std::string to_string() const;
};

class Diagnostics {
public:
  void error(SourceLocation where, std::string path, std::string message);
  void warning(SourceLocation where, std::string path, std::string message);
  void add(Diagnostic d) { m_items.push_back(std::move(d)); }
  void append(const Diagnostics& other);

  bool has_errors() const;
  std::size_t error_count() const;
  std::size_t warning_count() const;
  const std::vector<Diagnostic>& items() const { return m_items; }
  // Errors first? No: file order, so the output reads top to bottom.
  void sort_by_location();

private:
  std::vector<Diagnostic> m_items;
};

}  // namespace chaosgate
