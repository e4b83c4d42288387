#include "model/experiment_outline.h"

#include <algorithm>
#include <cstring>
#include <ostream>

namespace chaosgate {

namespace {
constexpr std::size_t k_block = 16 * 1024;
using Length = KeptText::Length;
}  // namespace

std::ostream& operator<<(std::ostream& out, const KeptText& text) { return out << text.view(); }

KeptText OutlineNames::unique(std::string_view text) {
  if (text.empty()) return {};  // no block for it (nor a memcpy to a block not yet made)
  const std::size_t needed = sizeof(Length) + text.size();
  if (needed > m_left) {
    const std::size_t size = std::max(k_block, needed);
    m_blocks.push_back(std::make_unique_for_overwrite<char[]>(size));
    m_free = m_blocks.back().get();
    m_left = size;
  }
  const auto length = static_cast<Length>(text.size());  // an id or a name: far from 4 GiB
  std::memcpy(m_free, &length, sizeof length);
  std::memcpy(m_free + sizeof length, text.data(), text.size());
  const KeptText kept(m_free + sizeof length);
  m_free += needed;
  m_left -= needed;
  return kept;
}

KeptText OutlineNames::name(std::string_view text) {
  if (text.empty()) return {};
  if (const auto found = m_names.find(text); found != m_names.end()) return KeptText(found->data());
  const KeptText kept = unique(text);
  m_names.insert(kept.view());
  return kept;
}

KeptNames OutlineNames::list(const std::vector<std::string>& names) {
  if (names.empty()) return {};
  std::vector<std::string_view> views;
  views.reserve(names.size());
  for (const auto& text : names) views.push_back(name(text).view());
  return KeptNames(&*m_lists.insert(std::move(views)).first);
}

std::string OutlineLocation::to_string() const { return SourceLocation{std::string(file.view()), line, column}.to_string(); }

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
  outline.location = {names.name(experiment.location.file.str()), experiment.location.line, experiment.location.column};
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
