#include "journal_file.h"

#include <cerrno>
#include <cstring>
#include <cstdio>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "json_stream.h"
#include "util/atomic_file.h"
#include "util/errors.h"

namespace chaosgate {

namespace {

using nlohmann::json;

// Reads a file in 1 MiB chunks as an input iterator for nlohmann's parser:
// as fast as parsing a string, without holding the file (std::istreambuf_iterator
// is three times slower; a whole-file string costs the file's size in memory).
class ChunkedFileIterator {
public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  ChunkedFileIterator() = default;  // the end
  explicit ChunkedFileIterator(std::FILE* file) : m_file(file), m_buffer(std::make_shared<std::vector<char>>(1u << 20)) {
    refill();
  }
  const char& operator*() const { return (*m_buffer)[m_at]; }
  ChunkedFileIterator& operator++() {
    if (++m_at == m_size) refill();
    return *this;
  }
  bool operator==(const ChunkedFileIterator& other) const { return at_end() == other.at_end(); }
  bool operator!=(const ChunkedFileIterator& other) const { return !(*this == other); }
  bool failed() const { return m_failed; }

private:
  bool at_end() const { return m_file == nullptr; }
  void refill() {
    m_at = 0;
    m_size = std::fread(m_buffer->data(), 1, m_buffer->size(), m_file);
    if (m_size == 0) {
      m_failed = std::ferror(m_file) != 0;
      m_file = nullptr;
    }
  }

  std::FILE* m_file = nullptr;
  std::shared_ptr<std::vector<char>> m_buffer;  // shared: the parser copies iterators
  std::size_t m_at = 0;
  std::size_t m_size = 0;
  bool m_failed = false;
};

// Builds the journal's document, except that each element of the top-level
// "experiments" array is converted to an ExperimentResult as soon as it is
// complete and its JSON dropped: memory stays at one experiment's DOM.
class JournalReader : public nlohmann::json_sax<json> {
public:
  std::vector<ExperimentResult> experiments;
  json root;

  bool null() override { return value(nullptr); }
  bool boolean(bool v) override { return value(v); }
  bool number_integer(number_integer_t v) override { return value(v); }
  bool number_unsigned(number_unsigned_t v) override { return value(v); }
  bool number_float(number_float_t v, const string_t&) override { return value(v); }
  bool string(string_t& v) override { return value(std::move(v)); }
  bool binary(binary_t& v) override { return value(std::move(v)); }
  bool start_object(std::size_t) override { return open(json::object()); }
  bool start_array(std::size_t) override { return open(json::array()); }
  bool key(string_t& k) override {
    m_key = std::move(k);
    return true;
  }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
    m_error = "invalid JSON at byte " + std::to_string(position) + " (" + e.what() + ")";
    return false;
  }
  const std::string& error() const { return m_error; }

private:
  // Where the next value goes: the root, the experiment being read, or a
  // member / element of the innermost open container.
  json* place(json&& v) {
    if (m_stack.empty()) {
      json& target = m_in_experiment ? m_experiment : root;
      target = std::move(v);
      return &target;
    }
    json& parent = *m_stack.back();
    if (parent.is_object()) return &(parent[m_key] = std::move(v));
    parent.push_back(std::move(v));
    return &parent.back();
  }
  bool value(json&& v) {
    place(std::move(v));
    return true;
  }
  bool open(json&& container) {
    // An element of root["experiments"]: read into its own document.
    if (m_stack.size() == 2 && m_stack[1] == m_experiments_array) {
      m_in_experiment = true;
      m_saved = std::move(m_stack);
      m_stack.clear();
    }
    json* opened = place(std::move(container));
    m_stack.push_back(opened);
    if (m_stack.size() == 2 && m_stack[0] == &root && m_key == "experiments" && opened->is_array())
      m_experiments_array = opened;
    return true;
  }
  bool close() {
    m_stack.pop_back();
    if (m_in_experiment && m_stack.empty()) {
      try {
        experiments.push_back(m_experiment.get<ExperimentResult>());
      } catch (const std::exception& e) {
        m_error = "experiment #" + std::to_string(experiments.size() + 1) + ": " + e.what();
        return false;
      }
      m_experiment = json();
      m_in_experiment = false;
      m_stack = std::move(m_saved);
    }
    return true;
  }

  std::vector<json*> m_stack;
  std::vector<json*> m_saved;
  json* m_experiments_array = nullptr;
  json m_experiment;
  bool m_in_experiment = false;
  std::string m_key;
  std::string m_error;
};

}  // namespace

// Written one experiment at a time, byte for byte what json(run).dump(2)
// would give, without holding the whole document (a 10,000-experiment journal
// is ~200 MB of text).
void write_journal(const RunResult& run, const std::string& path) {
  AtomicFile file(path);
  if (run.experiments.empty()) {
    file.append(dump_json(json(run)));
  } else {
    const std::string header = dump_json(run_header_json(run));
    auto next = run.experiments.begin();
    const std::size_t rest = append_array(file, header, 0, "experiments", [&](std::string& element) {
      if (next == run.experiments.end()) return false;
      element = dump_json(json(*next++));
      return true;
    });
    file.append(std::string_view(header).substr(rest));
  }
  file.append("\n");
  file.commit();
}

RunResult read_journal(const std::string& path) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rbe"), &std::fclose);
  if (!file) throw UserError(path + ": cannot read journal: " + std::strerror(errno));
  JournalReader reader;
  bool parsed = false;
  ChunkedFileIterator begin(file.get());
  try {
    parsed = json::sax_parse(begin, ChunkedFileIterator(), &reader);
  } catch (const std::exception& e) {
    throw UserError(path + ": not a journal: " + e.what());
  }
  if (std::ferror(file.get()) != 0) throw UserError(path + ": cannot read journal: read error");
  if (!parsed) {
    const bool syntax = reader.error().rfind("invalid JSON", 0) == 0;
    throw UserError(path + (syntax ? ": not a journal: " : ": malformed journal: ") + reader.error());
  }
  if (!reader.root.is_object()) throw UserError(path + ": not a journal: the document is not a JSON object");
  try {
    RunResult run = reader.root.get<RunResult>();
    run.experiments = std::move(reader.experiments);
    return run;
  } catch (const nlohmann::json::exception& e) {
    throw UserError(path + ": malformed journal: " + e.what());
  } catch (const std::exception& e) {
    throw UserError(path + ": " + e.what());
  }
}

}  // namespace chaosgate
