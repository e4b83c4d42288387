#include "model/experiment_outline.h"

#include <algorithm>
#include <cstring>

namespace chaosgate {

namespace {
constexpr std::size_t k_block = 16 * 1024;
}  // namespace

std::string_view OutlineNames::unique(std::string_view text) {
  if (text.empty()) return {};  // no block for it (nor a memcpy to a block not yet made)
  if (text.size() > m_left) {
    const std::size_t size = std::max(k_block, text.size());
    m_blocks.push_back(std::make_unique_for_overwrite<char[]>(size));
    m_free = m_blocks.back().get();
    m_left = size;
  }
  std::memcpy(m_free, text.data(), text.size());
  const std::string_view kept(m_free, text.size());
  m_free += text.size();
  m_left -= text.size();
  return kept;
}

std::string_view OutlineNames::name(std::string_view text) {
  if (const auto found = m_names.find(text); found != m_names.end()) return *found;
  return *m_names.insert(unique(text)).first;
}

NameList OutlineNames::list(const std::vector<std::string>& names) {
  if (names.empty()) return {};
  std::vector<std::string_view> views;
  views.reserve(names.size());
  for (const auto& text : names) views.push_back(name(text));
  return *m_lists.insert(std::move(views)).first;
}

ExperimentOutline outline_of(const Experiment& experiment, std::uint32_t index, OutlineNames& names) {
  ExperimentOutline outline;
  outline.index = index;
  outline.id = names.unique(experiment.id);
  outline.owner = names.name(experiment.owner);
  outline.service = names.name(experiment.service);
  outline.incident_category = names.name(experiment.incident_category);
  outline.targets = names.list(experiment.targets);
  outline.tags = names.list(experiment.tags);
  outline.attack_group = experiment.attack_group;
  outline.status = experiment.status;
  outline.always = experiment.always;
  outline.allow_production = experiment.allow_production;
  outline.has_stop_conditions = !experiment.stop_conditions.empty();
  outline.estimated_duration = experiment.estimated_duration();
  outline.location = experiment.location;
  return outline;
}

Outlines outlines_of(const std::vector<Experiment>& experiments) {
  Outlines outlines;
  outlines.list.reserve(experiments.size());
  for (const auto& experiment : experiments)
    outlines.list.push_back(outline_of(experiment, static_cast<std::uint32_t>(outlines.list.size()), outlines.names));
  return outlines;
}

std::vector<const ExperimentOutline*> pointers_to(std::span<const ExperimentOutline> outlines) {
  std::vector<const ExperimentOutline*> pointers;
  pointers.reserve(outlines.size());
  for (const auto& outline : outlines) pointers.push_back(&outline);
  return pointers;
}

}  // namespace chaosgate
