#include "status/status_text.h"

#include "util/redact.h"
#include "util/text.h"

namespace chaosgate {

namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view k_ellipsis = "\xE2\x80\xA6";     // U+2026

// Byte length of a UTF-8 sequence from its lead byte (1 for a stray byte).
std::size_t sequence_length(unsigned char lead) {
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

std::string capitalized(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
  return text;
}

}  // namespace

std::string_view utf8_prefix_chars(std::string_view text, std::size_t max_chars) {
  std::size_t end = 0;
  for (std::size_t chars = 0; chars < max_chars && end < text.size(); ++chars) {
    const std::size_t length = sequence_length(static_cast<unsigned char>(text[end]));
    if (end + length > text.size()) break;
    end += length;
  }
  return text.substr(0, end);
}

std::string one_line(std::string_view text, std::size_t max_chars) {
  std::string clean;
  clean.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t c = 0;
    const std::size_t length = decode_utf8(text, i, c);
    if (length == 0) {
      clean += k_replacement;
      ++i;
      continue;
    }
    // A status is one line in every UI that shows it; C0/C1 controls (ANSI
    // colours in a probe's output) would show as garbage.
    const bool blank = c == ' ' || c < 0x20 || (c >= 0x7F && c <= 0x9F);
    if (blank) {
      if (!clean.empty() && clean.back() != ' ') clean += ' ';
    } else {
      clean.append(text.substr(i, length));
    }
    i += length;
  }
  while (!clean.empty() && clean.back() == ' ') clean.pop_back();

  if (max_chars == 0) return "";
  const auto whole = utf8_prefix_chars(clean, max_chars);
  if (whole.size() == clean.size()) return clean;
  std::string cut(utf8_prefix_chars(clean, max_chars - 1));
  while (!cut.empty() && cut.back() == ' ') cut.pop_back();
  return cut + std::string(k_ellipsis);
}

std::string status_name(const std::string& environment, const std::string& shard) {
  std::string name = environment.empty() ? "chaosgate" : "chaosgate/" + environment;
  if (!shard.empty()) name += " (shard " + shard + ")";
  return one_line(name, 255);
}

CommitState commit_state(const std::string& gate) {
  if (gate == "passed") return CommitState::success;
  if (gate == "interrupted") return CommitState::canceled;
  return CommitState::failed;
}

StatusUpdate running_status(const std::string& environment, const std::string& shard,
                            const std::string& suite_name, std::size_t experiments,
                            const std::string& target_url) {
  std::string text = "Running " + std::to_string(experiments) + " experiment(s)";
  if (!suite_name.empty()) text += " of " + suite_name;
  return {CommitState::running, status_name(environment, shard), one_line(redact(text), 1000), target_url};
}

StatusUpdate final_status(const RunResult& run, const std::string& target_url) {
  const std::string gate = run.gate.empty() ? "undecided" : run.gate;
  // "interrupted by SIGTERM; ..." already names the decision: no "Gate interrupted:" before it.
  const std::string what = run.drill ? "Drill " : "Gate ";
  std::string text = run.gate_reason.rfind(gate, 0) == 0 ? capitalized(run.gate_reason)
                     : run.gate_reason.empty()           ? what + gate
                                                         : what + gate + ": " + run.gate_reason;
  return {commit_state(run.gate), status_name(run.environment, run.shard), one_line(redact(text), 1000), target_url};
}

}  // namespace chaosgate
