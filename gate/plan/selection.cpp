#include "plan/selection.h"

#include <algorithm>
#include <charconv>

#include "util/errors.h"
#include "util/text.h"

namespace chaosgate {

bool Selector::matches(const ExperimentOutline& experiment) const {
  if (field == "id") return glob_match(pattern, experiment.id);
  if (field == "team") return glob_match(pattern, experiment.owner);
  if (field == "service") return glob_match(pattern, experiment.service);
  if (field == "group") return glob_match(pattern, enum_name(experiment.attack_group));
  if (field == "tag")
    return std::any_of(experiment.tags.begin(), experiment.tags.end(),
                       [&](std::string_view tag) { return glob_match(pattern, tag); });
  return false;
}

std::string Selector::text() const { return field == "id" ? pattern : field + ":" + pattern; }

Selector parse_selector(const std::string& text) {
  static const std::vector<std::string> k_fields = {"id", "team", "service", "tag", "group"};
  const auto colon = text.find(':');
  Selector selector{"id", text};
  if (colon != std::string::npos) {
    selector.field = text.substr(0, colon);
    selector.pattern = text.substr(colon + 1);
    if (std::find(k_fields.begin(), k_fields.end(), selector.field) == k_fields.end())
      throw UserError("selector " + in_quotes(text) + ": unknown field " + in_quotes(selector.field) +
                      "; use an id glob or one of team:, service:, tag:, group:, id:");
  }
  if (selector.pattern.empty()) throw UserError("selector " + in_quotes(text) + " is empty");
  return selector;
}

Shard parse_shard(const std::string& text) {
  Shard shard;
  const auto slash = text.find('/');
  auto number = [](std::string_view part, int& out) {
    const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), out);
    return error == std::errc() && end == part.data() + part.size();
  };
  if (slash == std::string::npos || !number(std::string_view(text).substr(0, slash), shard.index) ||
      !number(std::string_view(text).substr(slash + 1), shard.count) || shard.count < 1 || shard.count > 1000 ||
      shard.index < 1 || shard.index > shard.count)
    throw UserError("--shard " + in_quotes(text) + ": expected I/N with 1 <= I <= N <= 1000, e.g. 2/3");
  return shard;
}

namespace {

// The 1-based shard of each experiment: longest first onto the least-loaded shard.
std::vector<int> assign_shards(const std::vector<const ExperimentOutline*>& experiments, int count) {
  std::vector<std::size_t> order(experiments.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto da = experiments[a]->estimated_duration, db = experiments[b]->estimated_duration;
    return da != db ? da > db : experiments[a]->id < experiments[b]->id;
  });
  std::vector<Millis> load(static_cast<std::size_t>(count), Millis(0));
  std::vector<int> shard_of(experiments.size());
  for (const std::size_t i : order) {
    const auto lightest = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[lightest] += experiments[i]->estimated_duration;
    shard_of[i] = static_cast<int>(lightest) + 1;
  }
  return shard_of;
}

}  // namespace

Selection select_experiments(const Suite& suite, std::span<const ExperimentOutline> experiments,
                            const SelectionCriteria& criteria) {
  for (const auto& selector : criteria.only)
    if (std::none_of(experiments.begin(), experiments.end(),
                     [&](const ExperimentOutline& experiment) { return selector.matches(experiment); }))
      throw UserError("--only " + in_quotes(selector.text()) + ": no experiment of suite " + in_quotes(suite.name) +
                      " matches it (an id glob, or team:, service:, tag:, group:); `chaosgate list` shows the suite");
  Selection selection;
  if (criteria.changed_files) selection.change_scope = change_scope(suite, *criteria.changed_files);
  std::vector<const ExperimentOutline*> candidates;
  for (const auto& experiment : experiments) {
    if (std::find(criteria.statuses.begin(), criteria.statuses.end(), experiment.status) == criteria.statuses.end()) {
      selection.skipped.push_back({&experiment, "status " + enum_name(experiment.status)});
      continue;
    }
    if (!criteria.only.empty() &&
        std::none_of(criteria.only.begin(), criteria.only.end(), [&](const Selector& s) { return s.matches(experiment); })) {
      selection.skipped.push_back({&experiment, "not matched by --only"});
      continue;
    }
    const auto skip = std::find_if(criteria.skip.begin(), criteria.skip.end(),
                                   [&](const Selector& s) { return s.matches(experiment); });
    if (skip != criteria.skip.end()) {
      selection.skipped.push_back({&experiment, "--skip " + skip->text()});
      continue;
    }
    // Before sharding, so every shard of a merge request cuts the same scoped list.
    if (const auto& scope = selection.change_scope; scope && !experiment.always &&
        std::find(scope->touched_services.begin(), scope->touched_services.end(), experiment.service) == scope->touched_services.end()) {
      selection.skipped.push_back({&experiment, "service " + std::string(experiment.service) + " not touched by the change"});
      continue;
    }
    candidates.push_back(&experiment);
  }
  if (criteria.shard.count == 1) {
    selection.selected = std::move(candidates);
    return selection;
  }
  const auto shard_of = assign_shards(candidates, criteria.shard.count);
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (shard_of[i] == criteria.shard.index)
      selection.selected.push_back(candidates[i]);
    else
      selection.skipped.push_back({candidates[i], "shard " + std::to_string(shard_of[i]) + "/" + std::to_string(criteria.shard.count)});
  }
  return selection;
}

std::string nothing_selected_note(const Selection& selection) {
  std::vector<std::pair<std::string, std::size_t>> counts;  // reason, how many; first seen first
  for (const auto& skipped : selection.skipped) {
    auto found = std::find_if(counts.begin(), counts.end(), [&](const auto& count) { return count.first == skipped.reason; });
    if (found == counts.end()) counts.emplace_back(skipped.reason, 1);
    else ++found->second;
  }
  std::vector<std::string> parts;
  for (const auto& [reason, count] : counts) parts.push_back(std::to_string(count) + " " + reason);
  if (parts.empty()) return "nothing selected: the suite has no experiment";
  return "nothing selected: the suite's " + std::to_string(selection.skipped.size()) + " experiment(s) were all left out (" +
         join(parts, ", ") + ")";
}

}  // namespace chaosgate
