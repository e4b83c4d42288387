#include "journal_records.h"

#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>

#include "journal_event_nodes.h"
#include "journal_samples.h"
#include "json_event_reader.h"
#include "model/run_result_decode.h"

namespace chaosgate {

namespace {

using journal_events::DomNode;
using journal_events::EventNode;
using journal_events::ListNode;
using journal_events::ReadAside;
using journal_events::RecordNode;
using journal_events::Sink;
using nlohmann::json;

// A probe's samples, through SampleArrayReader (its errors end the reading at once).
class SamplesNode final : public EventNode {
public:
  void begin(ReadAside<ProbeSample>& into) {
    into.reset();
    into.read = true;
    m_reader.start(into.items);
  }
  void key(std::string& name) override { m_reader.key(name); }
  void scalar(json&& value) override { m_reader.scalar(std::move(value)); }
  void string(std::string& value) override { m_reader.string(value); }
  EventNode& open(json::value_t type) override {
    m_reader.open(type);
    return *this;
  }
  void close() override { m_reader.close(); }

private:
  SampleArrayReader m_reader;
};

// Reads past a container and all it holds, keeping nothing.
class SkipNode final : public EventNode {
public:
  void key(std::string&) override {}
  void scalar(json&&) override {}
  void string(std::string&) override {}
  EventNode& open(json::value_t) override { return *this; }
  void close() override {}
};

// --- the records, innermost first ---

constexpr std::array<std::string_view, 8> k_probe_fields = {"probe", "phase", "ok", "expected", "observed", "started", "durationMs", "samples"};
class ProbeNode final : public RecordNode<ProbeResult, 8> {
public:
  ProbeNode() : RecordNode(k_probe_fields) {}
  void list(const char* key, std::vector<ProbeSample>& out) { take_list(m_samples, key, out); }

private:
  static constexpr int k_samples = 7;
  EventNode* open_nested(int field, json::value_t type) override {
    if (field != k_samples || type != json::value_t::array) return nullptr;
    m_reading.begin(m_samples);
    return &m_reading;
  }
  void forget(int field) override {
    if (field == k_samples) m_samples.reset();
  }
  void forget_all() override { m_samples.reset(); }
  void decode(ProbeResult& out) override { decode::probe_result(*this, out); }

  ReadAside<ProbeSample> m_samples;
  SamplesNode m_reading;
};

constexpr std::array<std::string_view, 6> k_action_fields = {"action", "rollback", "ok", "detail", "started", "durationMs"};
class ActionNode final : public RecordNode<ActionRecord, 6> {
public:
  ActionNode() : RecordNode(k_action_fields) {}

private:
  void decode(ActionRecord& out) override { decode::action_record(*this, out); }
};

constexpr std::array<std::string_view, 7> k_attempt_fields = {"number", "verdict", "reason", "started", "durationMs", "probes", "actions"};
class AttemptNode final : public RecordNode<Attempt, 7> {
public:
  AttemptNode() : RecordNode(k_attempt_fields) {}
  void list(const char* key, std::vector<ProbeResult>& out) { take_list(m_probes, key, out); }
  void list(const char* key, std::vector<ActionRecord>& out) { take_list(m_actions, key, out); }

private:
  static constexpr int k_probes = 5, k_actions = 6;
  EventNode* open_nested(int field, json::value_t type) override {
    if (type != json::value_t::array) return nullptr;
    if (field == k_probes) {
      m_probe_list.begin(m_probes);
      return &m_probe_list;
    }
    if (field == k_actions) {
      m_action_list.begin(m_actions);
      return &m_action_list;
    }
    return nullptr;
  }
  void forget(int field) override {
    if (field == k_probes) m_probes.reset();
    if (field == k_actions) m_actions.reset();
  }
  void forget_all() override {
    m_probes.reset();
    m_actions.reset();
  }
  void decode(Attempt& out) override { decode::attempt(*this, out); }

  ReadAside<ProbeResult> m_probes;
  ReadAside<ActionRecord> m_actions;
  ListNode<ProbeResult, ProbeNode> m_probe_list;
  ListNode<ActionRecord, ActionNode> m_action_list;
};

constexpr std::array<std::string_view, 17> k_info_fields = {
    "id",          "title",           "owner",  "service", "targets", "hypothesis", "incidentCategory", "incidentCategoryTitle",
    "incidents",   "attackGroup",     "preparationCost", "status", "risk", "tags", "followUp", "location", "definitionDigest"};
class InfoNode final : public RecordNode<ExperimentInfo, 17> {
public:
  InfoNode() : RecordNode(k_info_fields) {}

private:
  void decode(ExperimentInfo& out) override { decode::experiment_info(*this, out); }
};

constexpr std::array<std::string_view, 10> k_experiment_fields = {
    "experiment", "verdict", "reason", "deviatedProbe", "expected", "observed", "fingerprint", "started", "durationMs", "attempts"};
class ExperimentNode final : public RecordNode<ExperimentResult, 10>, public Sink<ExperimentInfo> {
public:
  ExperimentNode() : RecordNode(k_experiment_fields) {}
  // false: "attempts" is read past, whatever it holds, and decodes as absent.
  void keep_attempts(bool keep) { m_keep_attempts = keep; }
  void list(const char* key, std::vector<Attempt>& out) {
    if (m_keep_attempts) take_list(m_attempts, key, out);
  }
  void record(const char* key, ExperimentInfo& out) {
    if (!m_info_read) return decode::assign(at(key), out);
    if (m_info_error) std::rethrow_exception(m_info_error);
    out = std::move(m_info);
  }
  void take(ExperimentInfo&& value) override { m_info = std::move(value); }
  void fail(std::exception_ptr error) override { m_info_error = std::move(error); }

private:
  static constexpr int k_experiment = 0, k_attempts = 9;
  EventNode* open_nested(int field, json::value_t type) override {
    if (field == k_experiment && type == json::value_t::object) {
      m_info_read = true;
      m_info_node.begin(*this);
      return &m_info_node;
    }
    if (field == k_attempts && !m_keep_attempts) return &m_skipped;
    if (field == k_attempts && type == json::value_t::array) {
      m_attempt_list.begin(m_attempts);
      return &m_attempt_list;
    }
    return nullptr;
  }
  void forget(int field) override {
    if (field == k_experiment) forget_info();
    if (field == k_attempts) m_attempts.reset();
  }
  void forget_all() override {
    forget_info();
    m_attempts.reset();
  }
  void forget_info() {
    m_info_read = false;
    m_info = ExperimentInfo();
    m_info_error = nullptr;
  }
  void decode(ExperimentResult& out) override { decode::experiment_result(*this, out); }

  bool m_keep_attempts = true;
  SkipNode m_skipped;
  bool m_info_read = false;
  ExperimentInfo m_info;
  std::exception_ptr m_info_error;
  InfoNode m_info_node;
  ReadAside<Attempt> m_attempts;
  ListNode<Attempt, AttemptNode> m_attempt_list;
};

// The document's root: a JSON value, but for the experiments.
class RootNode final : public DomNode {
public:
  explicit RootNode(ReadAside<ExperimentResult>& experiments) : m_experiments(experiments) {}
  void key(std::string& name) override {
    if (at_root() && name == "experiments") {
      m_experiments.reset();  // the last one counts
      ++m_experiments_members;
    }
    DomNode::key(name);
  }
  // The second part of a journal read in two starts inside the experiments.
  EventNode& begin_inside_experiments(json& header) {
    begin(json::value_t::object, header);
    m_list.begin(m_experiments);
    return m_list;
  }
  bool reads_experiments(const EventNode* node) const { return node == &m_list; }
  int experiments_members() const { return m_experiments_members; }

private:
  bool at_root() const { return m_stack.size() == 1 && m_stack.front()->is_object(); }
  EventNode* divert(json::value_t type) override {
    if (!at_root() || m_key != "experiments" || type != json::value_t::array) return nullptr;
    place(json::array());
    m_list.begin(m_experiments);
    return &m_list;
  }

  ReadAside<ExperimentResult>& m_experiments;
  ListNode<ExperimentResult, ExperimentNode> m_list;
  int m_experiments_members = 0;
};

// nlohmann's SAX events to the node of the innermost open container. `Self`
// says what a value or container outside any container is (top_value,
// top_open: the root's), what an event's exception means (failed_event) and
// whether to go on (go_on); a template, not virtual calls: a journal is
// millions of events.
template <typename Self>
class NodeDriver : public nlohmann::json_sax<json> {
public:
  bool null() override { return value(nullptr); }
  bool boolean(bool v) override { return value(v); }
  bool number_integer(number_integer_t v) override { return value(v); }
  bool number_unsigned(number_unsigned_t v) override { return value(v); }
  bool number_float(number_float_t v, const string_t&) override { return value(v); }
  bool string(string_t& v) override {
    if (m_stack.empty()) return self().top_value(json(std::move(v)));
    return event([&] { m_stack.back()->string(v); });
  }
  bool binary(binary_t& v) override { return value(std::move(v)); }
  bool start_object(std::size_t) override { return open(json::value_t::object); }
  bool start_array(std::size_t) override { return open(json::value_t::array); }
  bool key(string_t& name) override {
    return event([&] { m_stack.back()->key(name); });
  }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
    m_error = "invalid JSON at byte " + std::to_string(position) + " (" + e.what() + ")";
    return false;
  }

  const std::string& error() const { return m_error; }

protected:
  bool go_on() { return true; }

  std::vector<EventNode*> m_stack;
  std::string m_error;

private:
  Self& self() { return static_cast<Self&>(*this); }
  bool value(json&& v) {
    if (m_stack.empty()) return self().top_value(std::move(v));
    return event([&] { m_stack.back()->scalar(std::move(v)); });
  }
  bool open(json::value_t type) {
    bool opened = true;
    const bool handled = event([&] {
      if (m_stack.empty()) opened = self().top_open(type);
      else m_stack.push_back(&m_stack.back()->open(type));
    });
    return handled && opened;
  }
  bool close() {
    return event([&] {
      EventNode* closed = m_stack.back();
      m_stack.pop_back();
      closed->close();
    });
  }
  template <typename Event>
  bool event(Event&& handle) {
    if (!self().go_on()) return false;
    try {
      handle();
      return true;
    } catch (const std::exception& e) {
      return self().failed_event(e);
    }
  }
};

// A journal document: its header as JSON, its experiments decoded.
class Driver final : public NodeDriver<Driver> {
public:
  // `give_up` set (from another thread) ends the reading at the next event.
  explicit Driver(JournalDocument& out, const std::atomic<bool>* give_up = nullptr)
      : m_out(out), m_root(m_experiments), m_give_up(give_up) {}

  // For the second part of a journal read in two (read_json_events_from).
  void start_inside_experiments() { m_stack = {&m_root, &m_root.begin_inside_experiments(m_out.header)}; }
  // After read_json_events_until stopped: whether between two elements of the
  // root's "experiments", none of them failing.
  bool between_experiments() const {
    return m_stack.size() == 2 && m_root.reads_experiments(m_stack.back()) && !m_experiments.error && m_error.empty();
  }
  std::vector<ExperimentResult> take_experiments() { return std::move(m_experiments.items); }
  int experiments_members() const { return m_root.experiments_members(); }

  // Once the document is read: false with error() set when an experiment
  // could not be decoded; else the experiments go to the document.
  bool finish() {
    if (m_experiments.error) return failed_experiment();
    m_out.experiments = std::move(m_experiments.items);
    return true;
  }

private:
  friend class NodeDriver<Driver>;
  bool top_value(json&& value) {
    m_out.header = std::move(value);
    return true;
  }
  bool top_open(json::value_t type) {
    m_root.begin(type, m_out.header);
    m_stack.push_back(&m_root);
    return true;
  }
  bool go_on() {
    if (!m_give_up || !m_give_up->load(std::memory_order_relaxed)) return true;
    m_error = "given up";
    return false;
  }
  // An error in a probe's samples ends the reading at once; an experiment
  // that cannot be decoded is reported once the document is read, as a later
  // "experiments" member would replace it. The first error is the one named.
  bool failed_event(const std::exception& e) {
    if (m_experiments.error) return failed_experiment();
    m_error = "experiment #" + std::to_string(m_experiments.items.size() + 1) + ": " + e.what();
    return false;
  }
  bool failed_experiment() {
    try {
      std::rethrow_exception(m_experiments.error);
    } catch (const std::exception& e) {
      m_error = "experiment #" + std::to_string(m_experiments.items.size() + 1) + ": " + e.what();
    }
    return false;
  }

  JournalDocument& m_out;
  ReadAside<ExperimentResult> m_experiments;
  RootNode m_root;
  const std::atomic<bool>* m_give_up;
};

// One experiment record on its own (read_experiment_record), read as the
// one element of a list: the list's reader decodes it, or fails it as
// from_json fails on a value that is not an object.
class RecordDriver final : public NodeDriver<RecordDriver> {
public:
  explicit RecordDriver(bool with_attempts) {
    m_list.element().keep_attempts(with_attempts);
    m_list.begin(m_records);
    m_stack = {&m_list};
  }

  // Once the record is read: the result, or false with error() set.
  bool finish(ExperimentResult& out) {
    if (m_records.error) {
      try {
        std::rethrow_exception(m_records.error);
      } catch (const std::exception& e) {
        m_error = e.what();
      }
      return false;
    }
    if (m_records.items.size() != 1) {  // never: the JSON reader accepts one value
      m_error = "not one experiment record";
      return false;
    }
    out = std::move(m_records.items.front());
    return true;
  }

private:
  friend class NodeDriver<RecordDriver>;
  // The list's reader takes every value: nothing comes outside it.
  bool top_value(json&&) { return false; }
  bool top_open(json::value_t) { return false; }
  bool failed_event(const std::exception& e) {  // an error in a probe's samples
    m_error = e.what();
    return false;
  }

  ReadAside<ExperimentResult> m_records;
  ListNode<ExperimentResult, ExperimentNode> m_list;
};

using FilePtr = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

// Another reading of the file `open` reads (not of its path, whose file
// could be replaced between two opens), from `offset`.
FilePtr reopen_at(std::FILE* open, std::size_t offset) {
  const std::string same_file = "/proc/self/fd/" + std::to_string(::fileno(open));
  FilePtr file(std::fopen(same_file.c_str(), "rbe"), &std::fclose);
  if (file && ::fseeko(file.get(), static_cast<off_t>(offset), SEEK_SET) != 0) file.reset();
  return file;
}

}  // namespace

bool read_journal_document(std::FILE* file, JournalDocument& out, std::string& error) {
  Driver driver(out);
  const bool parsed = read_json_events(file, driver) && driver.finish();
  error = driver.error();
  return parsed;
}

namespace {

// A record as write_experiment_record prints it, its attempts (most of its
// text) cut out: members come in key order, so "attempts" is first and
// "deviatedProbe" next, each on a line of its own at the record's member
// indent. JSON strings hold no raw newline, so the pattern is found only
// there. nullopt when the text is not laid out so. The view is of a buffer of
// this thread's, reused by its next call: this runs for every read-back of
// the spool, so it allocates only when a record outgrows the buffer.
std::optional<std::string_view> without_attempts(std::string_view record) {
  if (record.substr(0, 2) != "{\n") return std::nullopt;
  const std::size_t indent = record.find_first_not_of(' ', 2);
  if (indent == std::string_view::npos || record.substr(indent, 13) != "\"attempts\": [") return std::nullopt;
  const std::string_view spaces = record.substr(2, indent - 2);
  thread_local std::string next, cut;
  next.assign("\n").append(spaces).append("],\n").append(spaces).append("\"deviatedProbe\":");
  // memmem, not find(): a record has a newline every ~30 bytes, and find()
  // compares the pattern at each.
  const void* end = ::memmem(record.data(), record.size(), next.data(), next.size());
  if (end == nullptr) return std::nullopt;
  const std::size_t rest = static_cast<std::size_t>(static_cast<const char*>(end) - record.data()) + next.size() -
                           std::string_view("\"deviatedProbe\":").size();
  cut.assign("{\"attempts\": [],").append(record.substr(rest));
  return std::string_view(cut);
}

bool decode_record(std::string_view record, ExperimentResult& out, std::string& error, bool with_attempts) {
  RecordDriver driver(with_attempts);
  const bool parsed = read_json_events(record, driver) && driver.finish(out);
  error = driver.error();
  return parsed;
}

}  // namespace

bool read_experiment_record(std::string_view record, ExperimentResult& out, std::string& error, bool with_attempts) {
  // Without the attempts, they are not even read past (run's read-back of the
  // spool does this once per report). A cut text that does not decode is
  // decoded whole, so that an error names the byte of the record itself.
  if (!with_attempts)
    if (const auto cut = without_attempts(record); cut && decode_record(*cut, out, error, false)) return true;
  return decode_record(record, out, error, with_attempts);
}

bool read_journal_document_in_two(std::FILE* file, std::size_t at, JournalDocument& out) {
  const JsonSplit split{at, {true, false}};  // an element of the root object's "experiments" array
  std::atomic<bool> give_up{false};
  JournalDocument second;
  bool second_read = false;
  const auto read_second = [&] {
    try {
      const FilePtr part = reopen_at(file, at);
      if (!part) return;
      Driver driver(second, &give_up);
      driver.start_inside_experiments();
      // A later "experiments" member would replace the first part's too.
      second_read = read_json_events_from(part.get(), driver, split) && driver.finish() &&
                    std::ferror(part.get()) == 0 && driver.experiments_members() == 0;
    } catch (const std::exception&) {
      second_read = false;
    }
  };
  std::thread second_reader;
  try {
    second_reader = std::thread(read_second);
  } catch (const std::system_error&) {
    return false;  // no thread to be had: read whole
  }
  JournalDocument first;
  bool first_read = false;
  try {
    const FilePtr part = reopen_at(file, 0);
    if (part) {
      Driver driver(first);
      first_read = read_json_events_until(part.get(), driver, split) == FirstPart::stopped_at_split &&
                   std::ferror(part.get()) == 0 && driver.between_experiments();
      if (first_read) first.experiments = driver.take_experiments();
    }
  } catch (const std::exception&) {
    first_read = false;
  }
  if (!first_read) give_up = true;
  second_reader.join();
  if (!first_read || !second_read) return false;

  // The first part's header holds the members before the experiments (and
  // "experiments": []), the second's those after: a later one replaces an earlier.
  for (auto member = second.header.begin(); member != second.header.end(); ++member)
    first.header[member.key()] = std::move(*member);
  out.header = std::move(first.header);
  out.experiments = std::move(first.experiments);
  out.experiments.reserve(out.experiments.size() + second.experiments.size());
  std::move(second.experiments.begin(), second.experiments.end(), std::back_inserter(out.experiments));
  return true;
}

}  // namespace chaosgate
