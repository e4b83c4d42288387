#pragma once
// Where a suite comes from: a file, a directory, an http(s) URL, or a file in
// a GitLab repository. A source only fetches bytes; parsing is gate/load's job.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "http/http_client.h"
#include "util/paged_text.h"

namespace chaosgate::sources {

struct SuiteFile {
  std::string name;     // what diagnostics show: a path or a URL (credentials redacted)
  PagedText content;    // raw bytes (util/paged_text.h: in memory, or a mapped copy)
  std::string format;   // "json" or "yaml", from the extension or content type
};

// A suite of one file, moved in. Not `return {file}`: a vector made from an
// initializer list copies its elements, so the text was held twice (3.6 MB
// each for 10,000 experiments).
inline std::vector<SuiteFile> one_file(SuiteFile&& file) {
  std::vector<SuiteFile> files;
  files.push_back(std::move(file));
  return files;
}

struct FetchOptions {
  // For http(s): name of an environment variable holding a full header line,
  // e.g. SUITE_AUTH_HEADER="Authorization: Bearer ..." (empty: none).
  std::string auth_header_env;
  std::size_t max_bytes = 64 * 1024 * 1024;  // per file
  std::chrono::milliseconds timeout{30000};
  // The gate's signal: a download in progress is given up (UnreachableError
  // saying so) instead of holding the exit for the rest of `timeout`.
  const Cancellation* stop = nullptr;
  // Where a local file's bytes are copied to be read (util/paged_text.h):
  // a large suite then never sits whole in memory. Empty: read into memory.
  std::string copy_dir;
};

class SuiteSource {
public:
  virtual ~SuiteSource() = default;
  // Returns the files of the suite in a stable merge order (directories:
  // sorted by relative path). Throws UserError (exit 2) for bad input such as a
  // missing file, a 404 or an oversize response, and UnreachableError (exit 3)
  // when the source cannot be reached at all.
  virtual std::vector<SuiteFile> fetch(const FetchOptions& options) = 0;
  virtual std::string describe() const = 0;  // redacted, for logs
};

// The registry: picks the source by the form of `spec`:
//   "https://..." / "http://..."  -> HTTP(S) GET; FetchOptions::auth_header_env may name
//                                    a variable holding "Name: value" to send.
//   "gitlab://GROUP/PROJECT//PATH/IN/REPO@REF"
//                                 -> GitLab repository files API. `//` separates the
//                                    project path (may hold subgroups) from the file
//                                    path; `@REF` (branch, tag or commit) is optional,
//                                    default HEAD (the project's default branch). E.g.
//                                    gitlab://platform/chaos-suites//green/shop.yaml@v3
//                                    API URL from CI_API_V4_URL, else GITLAB_API_URL;
//                                    token from GITLAB_TOKEN (PRIVATE-TOKEN header),
//                                    else CI_JOB_TOKEN (JOB-TOKEN header), else none.
//                                    Requests GET {api}/projects/{project}/repository/
//                                    files/{path}/raw?ref={ref}, each part URL-encoded.
//   any other "scheme://..."      -> UserError
//   anything else                 -> local file or directory (recursive; hidden entries
//                                    skipped; *.json, *.yaml, *.yml in byte order of
//                                    their relative paths; depth <= 16, <= 1000 files)
// Throws UserError for a spec it cannot interpret (a malformed gitlab:// spec
// throws here; a missing API URL or a missing path throws from fetch()).
std::unique_ptr<SuiteSource> make_suite_source(const std::string& spec,
                                               std::shared_ptr<http::HttpClient> client);

}  // namespace chaosgate::sources
