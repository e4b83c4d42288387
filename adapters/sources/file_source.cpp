// A suite on the local disk: one file, or a directory of *.json / *.yaml / *.yml files.
#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>

#include "sources/format.h"
#include "sources/source_factories.h"
#include "util/errors.h"
#include "util/paged_text.h"

namespace chaosgate::sources {
namespace {

namespace fs = std::filesystem;

constexpr int k_max_depth = 16;
constexpr std::size_t k_max_files = 1000;

PagedText read_file(const fs::path& path, const std::string& name, const FetchOptions& options) {
  PagedFile file = read_file_paged(path.string(), options.max_bytes, options.copy_dir);
  if (file.status == FileText::Status::too_large) throw UserError(name + ": " + file.reason);
  if (!file) throw UserError(name + ": cannot be read: " + file.reason);
  return std::move(file.text);
}

bool is_suite_file(const fs::path& path) { return format_from_extension(path.filename().string()).has_value(); }

// Collects the suite files under a directory, keyed by relative path so the
// map's byte order is the merge order.
class DirectoryWalk {
public:
  explicit DirectoryWalk(const fs::path& root) : m_root(root) {}

  std::map<std::string, fs::path> run() {
    visit(m_root, fs::path(), 0);
    return std::move(m_files);
  }

private:
  void visit(const fs::path& dir, const fs::path& relative, int depth) {
    const auto display = (relative.empty() ? m_root : m_root / relative).generic_string();
    if (depth > k_max_depth) {
      throw UserError(display + ": directories nested deeper than " + std::to_string(k_max_depth));
    }
    std::error_code ec;
    const auto canonical = fs::canonical(dir, ec);
    if (ec) throw UserError(display + ": " + ec.message());
    if (std::find(m_ancestors.begin(), m_ancestors.end(), canonical) != m_ancestors.end()) {
      throw UserError(display + ": symbolic link loop (points back to " + canonical.string() + ")");
    }
    if (auto [it, inserted] = m_seen.emplace(canonical, display); !inserted) {
      throw UserError(display + ": same directory as " + it->second + " (symbolic link)");
    }
    m_ancestors.push_back(canonical);
    fs::directory_iterator entries(dir, ec);
    if (ec) throw UserError(display + ": " + ec.message());
    for (const auto& entry : entries) {
      const auto name = entry.path().filename();
      if (name.string().starts_with('.')) continue;  // .git, editor swap files, ...
      const auto child = relative / name;
      const auto status = entry.status(ec);  // follows symbolic links
      if (fs::is_directory(status)) {
        visit(entry.path(), child, depth + 1);
      } else if (is_suite_file(name)) {
        if (!fs::is_regular_file(status)) {
          throw UserError((m_root / child).generic_string() + ": not a regular file (dangling link?)");
        }
        if (m_files.size() == k_max_files) {
          throw UserError(m_root.generic_string() + ": more than " + std::to_string(k_max_files) +
                          " suite files");
        }
        m_files.emplace(child.generic_string(), entry.path());
      }
    }
    m_ancestors.pop_back();
  }

  fs::path m_root;
  std::vector<fs::path> m_ancestors;          // canonical, for loop detection
  std::map<fs::path, std::string> m_seen;     // canonical -> where first seen
  std::map<std::string, fs::path> m_files;    // relative path -> path
};

class FileSource final : public SuiteSource {
public:
  explicit FileSource(std::string path) : m_path(std::move(path)) {}

  std::vector<SuiteFile> fetch(const FetchOptions& options) override {
    std::error_code ec;
    const auto status = fs::status(m_path, ec);
    if (!fs::exists(status)) throw UserError(m_path + ": no such file or directory");
    if (!fs::is_directory(status)) {
      auto content = read_file(m_path, m_path, options);
      auto format = format_from_extension(m_path).value_or(sniff_format(content.view()));
      return one_file(SuiteFile{m_path, std::move(content), std::move(format)});
    }
    const auto files = DirectoryWalk(m_path).run();
    if (files.empty()) throw UserError(m_path + ": no *.json, *.yaml or *.yml suite files");
    std::vector<SuiteFile> out;
    out.reserve(files.size());
    for (const auto& [relative, path] : files) {
      auto name = (fs::path(m_path) / relative).generic_string();
      auto content = read_file(path, name, options);
      out.push_back({std::move(name), std::move(content), *format_from_extension(relative)});
    }
    return out;
  }

  std::string describe() const override { return m_path; }

private:
  std::string m_path;
};

}  // namespace

std::unique_ptr<SuiteSource> make_file_source(const std::string& path) {
  return std::make_unique<FileSource>(path);
}

}  // namespace chaosgate::sources
