#include "journal_file.h"

#include <cerrno>
#include <cstring>
#include <cstdio>
#include <iterator>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "journal_samples.h"
#include "json_event_reader.h"
#include "json_stream.h"
#include "util/atomic_file.h"
#include "util/errors.h"

namespace chaosgate {

namespace {

using nlohmann::json;

// Builds the journal's document, except that each element of the top-level
// "experiments" array is converted to an ExperimentResult as soon as it is
// complete and its JSON dropped: memory stays at one experiment's DOM. The
// probes' samples (most of the journal) skip the DOM: SampleArrayReader fills
// them in directly, and they join their probe after the conversion.
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
    if (m_samples.active()) return sample_event([&] { m_samples.key(k); });
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
  // (attempt, probe) indexes of a probe within the experiment being read.
  using ProbeIndex = std::pair<std::size_t, std::size_t>;

  // Inside an experiment, the open containers are: the experiment, "attempts",
  // one attempt, its "probes", one probe. Whatever replaces a member on that
  // path also replaces the samples read for it (duplicate keys: the last wins).
  bool at_probe() const {
    return m_in_experiment && m_stack.size() == 5 && m_stack[1]->is_array() && m_keys[1] == "attempts" &&
           m_stack[3]->is_array() && m_keys[3] == "probes" && m_stack[4]->is_object();
  }
  ProbeIndex probe_index() const { return {m_stack[1]->size() - 1, m_stack[3]->size() - 1}; }
  void forget_samples_replaced_by(const std::string& key) {
    if (!m_in_experiment || m_read_samples.empty()) return;
    if (m_stack.size() == 1 && key == "attempts") m_read_samples.clear();
    if (m_stack.size() == 3 && key == "probes" && m_keys[1] == "attempts" && m_stack[1]->is_array()) {
      const std::size_t attempt = m_stack[1]->size() - 1;
      std::erase_if(m_read_samples, [&](const auto& entry) { return entry.first.first == attempt; });
    }
    if (m_stack.size() == 5 && key == "samples" && at_probe()) m_read_samples.erase(probe_index());
  }

  // Where the next value goes: the root, the experiment being read, or a
  // member / element of the innermost open container.
  json* place(json&& v) {
    if (m_stack.empty()) {
      json& target = m_in_experiment ? m_experiment : root;
      target = std::move(v);
      return &target;
    }
    json& parent = *m_stack.back();
    if (parent.is_object()) {
      forget_samples_replaced_by(m_key);
      return &(parent[m_key] = std::move(v));
    }
    parent.push_back(std::move(v));
    return &parent.back();
  }
  template <typename Event>
  bool sample_event(Event&& event) {
    try {
      event();
      return true;
    } catch (const std::exception& e) {
      return fail_experiment(e);
    }
  }
  bool fail_experiment(const std::exception& e) {
    m_error = "experiment #" + std::to_string(experiments.size() + 1) + ": " + e.what();
    return false;
  }
  bool value(json&& v) {
    if (m_samples.active()) return sample_event([&] { m_samples.scalar(std::move(v)); });
    place(std::move(v));
    return true;
  }
  bool open(json&& container) {
    if (m_samples.active()) return sample_event([&] { m_samples.open(container.type()); });
    // A probe's samples: an empty array in the document, read aside.
    if (container.is_array() && m_key == "samples" && at_probe()) {
      const ProbeIndex probe = probe_index();
      place(std::move(container));
      m_samples.start(m_read_samples[probe]);
      return true;
    }
    // An element of root["experiments"]: read into its own document.
    if (m_stack.size() == 2 && m_stack[1] == m_experiments_array) {
      m_in_experiment = true;
      m_saved = std::move(m_stack);
      m_stack.clear();
      m_keys.clear();
    }
    const bool member = !m_stack.empty() && m_stack.back()->is_object();
    json* opened = place(std::move(container));
    m_stack.push_back(opened);
    m_keys.push_back(member ? m_key : std::string());
    if (m_stack.size() == 2 && m_stack[0] == &root && m_key == "experiments" && opened->is_array())
      m_experiments_array = opened;
    return true;
  }
  bool close() {
    if (m_samples.active()) return sample_event([&] { m_samples.close(); });
    m_stack.pop_back();
    m_keys.pop_back();
    if (m_in_experiment && m_stack.empty()) {
      try {
        ExperimentResult result = m_experiment.get<ExperimentResult>();
        attach_samples(result);
        experiments.push_back(std::move(result));
      } catch (const std::exception& e) {
        return fail_experiment(e);
      }
      m_experiment = json();
      m_read_samples.clear();
      m_in_experiment = false;
      m_stack = std::move(m_saved);
      m_keys.assign(m_stack.size(), std::string());
    }
    return true;
  }
  // The document's attempts and probes convert in order, so the indexes taken
  // while reading name the same probes in the result. Copied to vectors of the
  // exact size: growing by doubling left ~10 MiB unused over all samples.
  void attach_samples(ExperimentResult& result) {
    for (auto& [index, samples] : m_read_samples)
      if (index.first < result.attempts.size() && index.second < result.attempts[index.first].probes.size())
        result.attempts[index.first].probes[index.second].samples.assign(std::make_move_iterator(samples.begin()),
                                                                         std::make_move_iterator(samples.end()));
  }

  std::vector<json*> m_stack;
  std::vector<std::string> m_keys;  // the member name each open container has in its parent ("" in an array)
  std::vector<json*> m_saved;
  json* m_experiments_array = nullptr;
  json m_experiment;
  bool m_in_experiment = false;
  std::string m_key;
  std::string m_error;
  SampleArrayReader m_samples;
  std::map<ProbeIndex, std::vector<ProbeSample>> m_read_samples;
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
  try {
    parsed = read_json_events(file.get(), reader);
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
