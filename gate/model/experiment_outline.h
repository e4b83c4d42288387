#pragma once
// What the gate decides with before anything runs: the selection, the plan,
// the guards and the incident coverage read these fields of an experiment and
// no others. `run` keeps an outline per experiment and the experiments
// themselves in a spool (engine/experiment_spool.h) from the moment each is
// loaded: the decoded suite, ~1 KiB an experiment, is never held whole.
// Made from an experiment, never kept in step with one.
//
// Small, since one is kept per experiment through loading and planning: its
// texts are 8-byte handles into an OutlineNames, which holds each distinct
// name and each distinct list of names once (a suite's experiments share a
// few owners, services, categories, files and target lists), its enums a
// byte and its flags bits. 80 bytes an outline, where views took 144 and
// strings and vectors of its own ~330.
#include <compare>
#include <cstdint>
#include <cstring>
#include <iosfwd>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "model/suite.h"

namespace chaosgate {

// A text kept in an OutlineNames: a pointer to its characters, its length in
// the four bytes before them. Reads as a std::string_view.
class KeptText {
public:
  using Length = std::uint32_t;  // in the four bytes before the characters

  KeptText() = default;
  // Inline: the selection and the planner read every name through it.
  std::string_view view() const {
    if (m_chars == nullptr) return {};
    Length length;
    std::memcpy(&length, m_chars - sizeof length, sizeof length);  // memcpy: texts are not aligned
    return {m_chars, length};
  }
  operator std::string_view() const { return view(); }
  bool empty() const { return m_chars == nullptr; }  // nothing is kept for ""
  const char* data() const { return m_chars; }

  friend bool operator==(const KeptText& a, std::string_view b) { return a.view() == b; }
  friend auto operator<=>(const KeptText& a, std::string_view b) { return a.view() <=> b; }
  friend std::ostream& operator<<(std::ostream& out, const KeptText& text);  // gtest prints it

private:
  friend class OutlineNames;
  explicit KeptText(const char* chars) : m_chars(chars) {}
  const char* m_chars = nullptr;
};

// A list of names kept in an OutlineNames (a target list, tags): 8 bytes.
class KeptNames {
public:
  KeptNames() = default;
  std::span<const std::string_view> view() const {
    return m_list ? std::span<const std::string_view>(*m_list) : std::span<const std::string_view>();
  }
  auto begin() const { return view().begin(); }
  auto end() const { return view().end(); }
  std::size_t size() const { return view().size(); }
  bool empty() const { return view().empty(); }
  const std::string_view* data() const { return view().data(); }
  std::string_view operator[](std::size_t i) const { return view()[i]; }

private:
  friend class OutlineNames;
  explicit KeptNames(const std::vector<std::string_view>* list) : m_list(list) {}
  const std::vector<std::string_view>* m_list = nullptr;
};

// Where outlines' texts live; they are valid while it is (it can be moved).
class OutlineNames {
public:
  // Each distinct name once (owners, services, categories, files, targets, tags).
  KeptText name(std::string_view text);
  // A name no other shares (an id): kept without being looked up.
  KeptText unique(std::string_view text);
  // Each distinct list of names once, in its order.
  KeptNames list(const std::vector<std::string>& names);

private:
  std::vector<std::unique_ptr<char[]>> m_blocks;  // the characters; a block is never moved
  char* m_free = nullptr;
  std::size_t m_left = 0;
  std::unordered_set<std::string_view> m_names;     // views of kept texts
  std::set<std::vector<std::string_view>> m_lists;  // a node's vector is never moved or changed
};

// An experiment's SourceLocation, its file a kept name.
struct OutlineLocation {
  KeptText file;
  int line = 0;
  int column = 0;
  std::string to_string() const;  // as SourceLocation's
};

struct ExperimentOutline {
  KeptText id;
  KeptText owner;
  KeptText service;
  KeptText incident_category;
  KeptNames targets;
  KeptNames tags;
  OutlineLocation location;
  Millis estimated_duration{0};  // Experiment::estimated_duration()
  std::uint32_t index = 0;       // the experiment's place in the suite, in load order: where to find it again
  AttackGroup attack_group = AttackGroup::application;
  LifecycleStatus status = LifecycleStatus::draft;
  // Bits: with the two enums a byte each, the outline is 80 bytes, not 88.
  bool always : 1 = false;
  bool allow_production : 1 = false;
  bool has_stop_conditions : 1 = false;  // its own; the suite's are the suite's
};

// Its texts kept in `names`.
ExperimentOutline outline_of(const Experiment& experiment, std::uint32_t index, OutlineNames& names);

// Outlines with the names they point into.
struct Outlines {
  OutlineNames names;
  std::vector<ExperimentOutline> list;
};

// One per experiment, `index` its place in `experiments`.
Outlines outlines_of(const std::vector<Experiment>& experiments);

// Pointers to each, in order: the form the selection and the plan take.
std::vector<const ExperimentOutline*> pointers_to(std::span<const ExperimentOutline> outlines);

}  // namespace chaosgate
