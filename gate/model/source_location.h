#pragma once
// Where a value came from in a suite file; every model element keeps one so
// diagnostics and reports (SARIF) can point at the exact line.
#include <compare>
#include <memory>
#include <string>

namespace chaosgate {

// A file's name, shared by every location in that file: one string per file
// instead of one heap copy per key and value (a 10,000-experiment suite made
// 450,000 of them). Reads as a std::string; copies only bump a count.
class FileName {
public:
  FileName() = default;
  FileName(std::string name)  // implicit: SourceLocation{"suite.yaml", 3, 1} stays readable
      : m_name(name.empty() ? nullptr : std::make_shared<const std::string>(std::move(name))) {}
  FileName(const char* name) : FileName(std::string(name)) {}

  const std::string& str() const { return m_name ? *m_name : no_name(); }
  operator const std::string&() const { return str(); }
  bool empty() const { return !m_name; }

  friend bool operator==(const FileName& a, const FileName& b) { return a.m_name == b.m_name || a.str() == b.str(); }
  friend std::strong_ordering operator<=>(const FileName& a, const FileName& b) { return a.str() <=> b.str(); }

private:
  static const std::string& no_name() {
    static const std::string empty;
    return empty;
  }
  std::shared_ptr<const std::string> m_name;
};

struct SourceLocation {
  FileName file;   // path as the user gave it (or the URL of a pulled suite)
  int line = 0;    // 1-based; 0 means unknown
  int column = 0;  // 1-based; 0 means unknown

  std::string to_string() const;  // "file:line:col", or "file" when unknown
  bool operator==(const SourceLocation&) const = default;
};

}  // namespace chaosgate
