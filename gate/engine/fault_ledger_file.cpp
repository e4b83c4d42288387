#include "engine/fault_ledger_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "engine/experiment_info.h"
#include "util/errors.h"
#include "util/file_text.h"
#include "util/json_integer.h"

namespace chaosgate {

namespace {

using nlohmann::json;

int open_for_append(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC | flags, 0644);
  if (fd < 0) throw std::runtime_error("fault ledger " + path + ": " + std::strerror(errno));
  return fd;
}

// One write(2) per line: a process killed between two lines leaves whole lines.
void write_line(int fd, const std::string& path, const std::string& line) {
  const std::string text = line + "\n";
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error("fault ledger " + path + ": " + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
}

std::string rolled_back_line(const std::string& experiment_id, bool all_ok) {
  return json{{"experiment", experiment_id}, {"event", "rolledBack"}, {"ok", all_ok}}.dump();
}

}  // namespace

FaultLedgerFile::FaultLedgerFile(std::string path, const LedgerRun& run) : m_path(std::move(path)) {
  m_fd = open_for_append(m_path, O_CREAT | O_TRUNC);
  append(json{{"chaosgateFaultLedger", 1},
              {"runId", run.run_id},
              {"pid", run.pid},
              {"suite", run.suite_source},
              {"suiteDigest", run.suite_digest},
              {"environment", run.environment},
              {"started", run.started}}
             .dump());
}

FaultLedgerFile::~FaultLedgerFile() {
  if (m_fd >= 0) ::close(m_fd);
}

void FaultLedgerFile::append(const std::string& line) { write_line(m_fd, m_path, line); }

void FaultLedgerFile::method_started(const Experiment& experiment) {
  std::lock_guard lock(m_mutex);
  json line{{"experiment", experiment.id}, {"event", "method"}, {"definitionDigest", definition_digest(experiment)}};
  append(line.dump());
  if (std::find(m_owing.begin(), m_owing.end(), experiment.id) == m_owing.end()) m_owing.push_back(experiment.id);
}

void FaultLedgerFile::injecting(const Experiment& experiment, std::size_t method_index) {
  std::lock_guard lock(m_mutex);
  json line{{"experiment", experiment.id}, {"event", "injecting"}, {"fault", method_index}};
  if (method_index < experiment.method.size()) line["action"] = experiment.method[method_index].name;
  append(line.dump());
}

void FaultLedgerFile::rolled_back(const Experiment& experiment, bool all_ok) {
  std::lock_guard lock(m_mutex);
  append(rolled_back_line(experiment.id, all_ok));
  if (all_ok) std::erase(m_owing, experiment.id);
}

std::vector<std::string> FaultLedgerFile::owing() const {
  std::lock_guard lock(m_mutex);
  return m_owing;
}

bool FaultLedgerFile::close_if_settled() {
  std::lock_guard lock(m_mutex);
  if (!m_owing.empty()) return false;
  ::close(m_fd);
  m_fd = -1;
  std::remove(m_path.c_str());
  return true;
}

LedgerContent read_fault_ledger(const std::string& path) {
  const FileText file = read_file_text(path);
  if (!file) throw UserError(path + ": cannot be read: " + file.reason);
  const std::string& text = file.text;
  LedgerContent content;
  std::size_t line_number = 0;
  std::size_t begin = 0;
  auto owed_for = [&](const std::string& id) -> OwedRollbacks* {
    auto it = std::find_if(content.owed.begin(), content.owed.end(), [&](const auto& owed) { return owed.experiment_id == id; });
    return it == content.owed.end() ? nullptr : &*it;
  };
  while (begin < text.size()) {
    const std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) break;  // cut short by the gate's death: never acted on
    ++line_number;
    const auto where = path + ":" + std::to_string(line_number);
    const json line = json::parse(text.begin() + static_cast<std::ptrdiff_t>(begin),
                                  text.begin() + static_cast<std::ptrdiff_t>(end), nullptr, false);
    begin = end + 1;
    if (!line.is_object()) throw UserError(where + ": not a JSON object: the fault ledger is damaged");
    try {
      if (line_number == 1) {
        if (json_integer_or(line, "chaosgateFaultLedger", 0) != 1)
          throw UserError(where + ": chaosgateFaultLedger: not a chaosgate fault ledger of version 1");
        content.run = {line.at("runId"), line.at("pid"), line.at("suite"), line.at("suiteDigest"), line.at("environment"),
                       line.at("started")};
        continue;
      }
      const std::string id = line.at("experiment");
      const std::string event = line.at("event");
      OwedRollbacks* owed = owed_for(id);
      if (event == "method") {
        if (!owed) owed = &content.owed.emplace_back(OwedRollbacks{id, "", {}, false});
        owed->definition_digest = line.at("definitionDigest");
      } else if (event == "injecting") {
        if (!owed) throw UserError(where + ": fault: injected before its experiment's method started");
        owed->faults.push_back(json_integer<std::size_t>(line.at("fault")));
      } else if (event == "rolledBack") {
        if (!owed) continue;  // settled twice: nothing owed
        if (line.at("ok").get<bool>()) {
          std::erase_if(content.owed, [&](const auto& o) { return o.experiment_id == id; });
        } else {
          owed->rollback_failed = true;
        }
      } else {
        throw UserError(where + ": event: unknown event " + event);
      }
    } catch (const json::exception& e) {
      throw UserError(where + ": a field is missing or of the wrong type (" + e.what() + "): the fault ledger is damaged");
    }
  }
  if (line_number == 0) throw UserError(path + ":1: empty: the gate died before it named its run");
  return content;
}

void settle_fault_ledger(const std::string& path, const std::string& experiment_id, bool all_ok) {
  const int fd = open_for_append(path, 0);
  try {
    write_line(fd, path, rolled_back_line(experiment_id, all_ok));
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  if (read_fault_ledger(path).owed.empty()) std::remove(path.c_str());
}

}  // namespace chaosgate
