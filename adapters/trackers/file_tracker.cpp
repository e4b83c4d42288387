#include "trackers/file_tracker.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_set>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

#include "util/atomic_file.h"
#include "util/errors.h"
#include "util/file_text.h"
#include "util/json_integer.h"

namespace chaosgate::trackers {

namespace {

namespace fs = std::filesystem;

constexpr int k_index_version = 1;
constexpr std::string_view k_key_prefix = "CHAOS-";

// ---- files ---------------------------------------------------------------------

void make_directories(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create directory " + dir.string() + ": " + ec.message());
}

std::optional<std::string> read_if_exists(const fs::path& path, bool& unreadable) {
  FileText file = read_file_text(path.string());
  unreadable = file.status != FileText::Status::read && file.status != FileText::Status::missing;
  if (!file) return std::nullopt;
  return std::move(file.text);
}

std::string now_text() { return format_time(Clock::now()); }

std::string dump(const nlohmann::json& json) {
  return json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// Exclusive lock on <state>/tickets.json.lock for one read-modify-write of the
// index; released when destroyed (or when the process dies).
class IndexLock {
public:
  explicit IndexLock(const fs::path& path) {
    make_directories(path.parent_path());
    m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0) throw std::runtime_error("cannot open " + path.string() + ": " + std::strerror(errno));
    while (::flock(m_fd, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      ::close(m_fd);
      throw std::runtime_error("cannot lock " + path.string() + ": " + std::strerror(error));
    }
  }
  ~IndexLock() { ::close(m_fd); }
  IndexLock(const IndexLock&) = delete;
  IndexLock& operator=(const IndexLock&) = delete;

private:
  int m_fd = -1;
};

// ---- the index ---------------------------------------------------------------

struct IndexEntry {
  std::string key;
  long number = 0;  // of the key
  std::string team;
  std::string experiment;
  std::string fingerprint;
  std::vector<std::string> labels;
  std::string summary;
  std::string status;  // "open" or "resolved"
  int comments = 0;
  std::string created;
  std::string updated;
  std::string file;  // the Markdown file written when the ticket was created
};

std::optional<long> key_number(const std::string& key) {
  if (!key.starts_with(k_key_prefix)) return std::nullopt;
  const char* first = key.data() + k_key_prefix.size();
  const char* last = key.data() + key.size();
  long number = 0;
  const auto [end, error] = std::from_chars(first, last, number);
  if (error != std::errc() || end != last || first == last || number < 1) return std::nullopt;
  return number;
}

nlohmann::json index_json(const std::vector<IndexEntry>& entries) {
  nlohmann::json tickets = nlohmann::json::array();
  for (const auto& e : entries) {
    tickets.push_back({{"key", e.key},
                       {"team", e.team},
                       {"experiment", e.experiment},
                       {"fingerprint", e.fingerprint},
                       {"labels", e.labels},
                       {"summary", e.summary},
                       {"status", e.status},
                       {"comments", e.comments},
                       {"created", e.created},
                       {"updated", e.updated},
                       {"file", e.file}});
  }
  return {{"schemaVersion", k_index_version}, {"tickets", tickets}};
}

// Throws std::runtime_error saying what is wrong; the caller names the file.
std::vector<IndexEntry> parse_index(const std::string& text) {
  const auto document = nlohmann::json::parse(text, nullptr, false);
  if (document.is_discarded()) throw std::runtime_error("not valid JSON");
  if (!document.is_object()) throw std::runtime_error("not a JSON object");
  const auto version = json_integer<int>(document.at("schemaVersion"));
  if (version != k_index_version)
    throw std::runtime_error("schemaVersion " + std::to_string(version) + " is not supported (this chaosgate reads " +
                             std::to_string(k_index_version) + ")");
  std::vector<IndexEntry> entries;
  for (const auto& ticket : document.at("tickets")) {
    IndexEntry e;
    ticket.at("key").get_to(e.key);
    const auto number = key_number(e.key);
    if (!number) throw std::runtime_error("ticket key \"" + e.key + "\" is not CHAOS-<number>");
    e.number = *number;
    ticket.at("team").get_to(e.team);
    ticket.at("experiment").get_to(e.experiment);
    ticket.at("fingerprint").get_to(e.fingerprint);
    ticket.at("labels").get_to(e.labels);
    ticket.at("summary").get_to(e.summary);
    ticket.at("status").get_to(e.status);
    if (e.status != "open" && e.status != "resolved")
      throw std::runtime_error(e.key + ": status \"" + e.status + "\" is neither open nor resolved");
    ticket.at("comments").get_to(e.comments);
    ticket.at("created").get_to(e.created);
    ticket.at("updated").get_to(e.updated);
    ticket.at("file").get_to(e.file);
    const bool duplicate =
        std::any_of(entries.begin(), entries.end(), [&](const IndexEntry& other) { return other.number == e.number; });
    if (duplicate) throw std::runtime_error("ticket " + e.key + " appears twice");
    entries.push_back(std::move(e));
  }
  return entries;
}

// The index at `path`; empty when there is none. Throws UserError naming the
// file when it cannot be read or is corrupt.
std::vector<IndexEntry> read_index(const fs::path& path) {
  bool unreadable = false;
  const auto text = read_if_exists(path, unreadable);
  const std::string advice = " (it is never reset: it is what keeps tickets from being duplicated; repair it, "
                             "or move it away to start a new ticket history)";
  if (unreadable) throw UserError(path.string() + ": cannot read the ticket index" + advice);
  if (!text) return {};
  try {
    return parse_index(*text);
  } catch (const std::exception& e) {
    throw UserError(path.string() + ": corrupt ticket index: " + e.what() + advice);
  }
}

// ---- ticket records and their Markdown -------------------------------------------

std::string code(const std::string& text) {
  return text.find('`') == std::string::npos ? "`" + text + "`" : "`` " + text + " ``";
}

std::string render_markdown(const nlohmann::json& record) {
  const std::string key = record.at("key").get<std::string>();
  std::string out = "# " + key + ": " + record.value("summary", "") + "\n\n";
  out += "- **Status:** " + record.value("status", "") + "\n";
  if (record.contains("priority")) out += "- **Priority:** " + record.value("priority", "") + "\n";
  out += "- **Team:** " + code(record.value("team", "")) + "\n";
  std::vector<std::string> labels;
  for (const auto& label : record.value("labels", std::vector<std::string>{})) labels.push_back(code(label));
  std::string label_text;
  for (const auto& label : labels) label_text += (label_text.empty() ? "" : ", ") + label;
  out += "- **Labels:** " + label_text + "\n";
  out += "- **Created:** " + record.value("created", "") + "\n";
  out += "- **Updated:** " + record.value("updated", "") + "\n";
  if (record.contains("createdIn")) {
    out += "\nThis ticket was created by an earlier run in " + code(record.at("createdIn").get<std::string>()) +
           "; its description and attachments are there. This file continues it.\n";
  }
  if (record.contains("body")) out += "\n" + record.at("body").get<std::string>() + "\n";
  if (record.contains("attachments")) {
    out += "\n## Attached files\n\n";
    for (const auto& attachment : record.at("attachments")) {
      const auto name = attachment.at("name").get<std::string>();
      out += "- [" + name + "](" + key + "/" + name + ")\n";
    }
  }
  const auto& comments = record.at("comments");
  if (!comments.empty()) {
    out += "\n## Comments\n";
    int number = 0;
    for (const auto& comment : comments) {
      out += "\n### Comment " + std::to_string(++number) + " (" + comment.value("at", "") + ")\n\n" +
             comment.value("body", "") + "\n";
    }
  }
  return out;
}

class FileTracker final : public Tracker {
public:
  FileTracker(const std::string& out_dir, const std::string& state_dir)
      : m_tickets_dir(fs::path(out_dir) / "tickets"),
        m_index_path(fs::path(state_dir) / "tickets.json"),
        m_lock_path(fs::path(state_dir) / "tickets.json.lock") {
    load_index();  // a bad index is the user's to fix before anything runs
  }

  std::string name() const override { return "file"; }

  std::vector<TicketRef> find_open(const std::string& team, const std::string& label) override {
    auto found = find_open_each(team, {label});
    return found.empty() ? std::vector<TicketRef>{} : std::move(found.begin()->second);
  }

  // One read of the index, whatever the number of labels.
  std::map<std::string, std::vector<TicketRef>> find_open_each(const std::string& team,
                                                               const std::vector<std::string>& labels) override {
    IndexLock lock(m_lock_path);
    auto entries = load_index();
    std::sort(entries.begin(), entries.end(), [](const IndexEntry& a, const IndexEntry& b) { return a.number < b.number; });
    const std::unordered_set<std::string_view> asked(labels.begin(), labels.end());
    std::map<std::string, std::vector<TicketRef>> found;
    for (const auto& e : entries) {
      if (e.status != "open" || e.team != team) continue;
      for (const auto& label : e.labels) {
        if (!asked.contains(label)) continue;
        auto& open = found[label];
        if (open.empty() || open.back().key != e.key) open.push_back(ref_of(e.key));
      }
    }
    return found;
  }

  TicketRef create(const Ticket& ticket) override {
    IndexLock lock(m_lock_path);
    auto entries = load_index();
    long number = 1;
    for (const auto& e : entries) number = std::max(number, e.number + 1);
    const std::string key = std::string(k_key_prefix) + std::to_string(number);
    const TicketRef ref = ref_of(key);
    const std::string now = now_text();

    // Files first, the index last: the index entry is what makes the ticket
    // exist, so a crash in between leaves no half ticket that dedup would find.
    const fs::path attachment_dir = m_tickets_dir / key;
    make_directories(attachment_dir);
    nlohmann::json attachments = nlohmann::json::array();
    for (const auto& attachment : ticket.attachments) {
      write_file_atomically((attachment_dir / attachment.name).string(), attachment.content);
      attachments.push_back({{"name", attachment.name},
                             {"mediaType", attachment.media_type},
                             {"path", (attachment_dir / attachment.name).string()}});
    }
    nlohmann::json tasks = nlohmann::json::array();
    for (const auto& task : ticket.tasks) tasks.push_back({{"title", task.title}, {"description", task.description}});
    const nlohmann::json record = {{"key", key},
                                   {"url", ref.url},
                                   {"status", "open"},
                                   {"team", ticket.team},
                                   {"experiment", ticket.experiment_id},
                                   {"fingerprint", ticket.fingerprint},
                                   {"summary", ticket.summary},
                                   {"labels", ticket.labels},
                                   {"priority", ticket.priority},
                                   {"body", ticket.body},
                                   {"tasks", tasks},
                                   {"attachments", attachments},
                                   {"created", now},
                                   {"updated", now},
                                   {"comments", nlohmann::json::array()}};
    write_record(record);

    entries.push_back({key, number, ticket.team, ticket.experiment_id, ticket.fingerprint, ticket.labels, ticket.summary,
                       "open", 0, now, now, ref.url});
    save_index(entries);
    return ref;
  }

  void comment(const TicketRef& ticket, const std::string& markdown) override { add_comment(ticket, markdown, false); }

  void resolve(const TicketRef& ticket, const std::string& markdown) override { add_comment(ticket, markdown, true); }

private:
  TicketRef ref_of(const std::string& key) const { return {key, (m_tickets_dir / (key + ".md")).string()}; }

  std::vector<IndexEntry> load_index() const { return read_index(m_index_path); }

  void save_index(const std::vector<IndexEntry>& entries) const {
    make_directories(m_index_path.parent_path());
    write_file_atomically(m_index_path.string(), dump(index_json(entries)));
  }

  void write_record(const nlohmann::json& record) const {
    make_directories(m_tickets_dir);
    const std::string key = record.at("key").get<std::string>();
    write_file_atomically((m_tickets_dir / (key + ".json")).string(), dump(record));
    write_file_atomically((m_tickets_dir / (key + ".md")).string(), render_markdown(record));
  }

  // This run's record of the ticket: the one in our output directory, or a
  // continuation of one created under another (from the index).
  nlohmann::json record_for(const IndexEntry& entry) const {
    const fs::path path = m_tickets_dir / (entry.key + ".json");
    bool unreadable = false;
    if (const auto text = read_if_exists(path, unreadable)) {
      auto record = nlohmann::json::parse(*text, nullptr, false);
      if (record.is_discarded() || !record.is_object() || !record.contains("key") || !record.contains("comments") ||
          !record.at("comments").is_array())
        throw std::runtime_error(path.string() + ": not a ticket record; left as it is");
      return record;
    }
    if (unreadable) throw std::runtime_error(path.string() + ": cannot read the ticket record");
    return {{"key", entry.key},
            {"url", ref_of(entry.key).url},
            {"status", entry.status},
            {"team", entry.team},
            {"experiment", entry.experiment},
            {"fingerprint", entry.fingerprint},
            {"summary", entry.summary},
            {"labels", entry.labels},
            {"created", entry.created},
            {"updated", entry.updated},
            {"createdIn", entry.file},
            {"comments", nlohmann::json::array()}};
  }

  void add_comment(const TicketRef& ticket, const std::string& markdown, bool resolve) {
    IndexLock lock(m_lock_path);
    auto entries = load_index();
    const auto entry = std::find_if(entries.begin(), entries.end(), [&](const IndexEntry& e) { return e.key == ticket.key; });
    if (entry == entries.end()) throw std::runtime_error("no ticket " + ticket.key + " in " + m_index_path.string());
    const std::string now = now_text();
    auto record = record_for(*entry);
    record["comments"].push_back({{"at", now}, {"body", markdown}});
    record["updated"] = now;
    if (resolve) record["status"] = "resolved";
    write_record(record);

    entry->comments += 1;
    entry->updated = now;
    if (resolve) entry->status = "resolved";
    save_index(entries);
  }

  fs::path m_tickets_dir;
  fs::path m_index_path;
  fs::path m_lock_path;
};

}  // namespace

std::unique_ptr<Tracker> make_file_tracker(const std::string& out_dir, const std::string& state_dir) {
  return std::make_unique<FileTracker>(out_dir, state_dir);
}

std::map<std::string, std::vector<std::string>> open_tickets_by_experiment(const std::string& state_dir,
                                                                           const std::string& suite_name) {
  std::map<std::string, std::vector<std::string>> open;
  for (const auto& entry : read_index(fs::path(state_dir) / "tickets.json")) {
    if (entry.status != "open") continue;
    const std::string label = experiment_label(suite_name, entry.experiment);
    if (std::find(entry.labels.begin(), entry.labels.end(), label) == entry.labels.end()) continue;
    open[entry.experiment].push_back(entry.key);
  }
  return open;
}

}  // namespace chaosgate::trackers
