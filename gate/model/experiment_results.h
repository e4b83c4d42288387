#pragma once
// A run's experiment results in plan order, wherever they are: in
// RunResult::experiments (a journal read back, a test) or in the run's
// ResultStore. Every reader of a run's results goes through this, so the same
// code writes the reports of `chaosgate run` and of `chaosgate report`.
//
//   for (const ExperimentResult& result : ExperimentResults(run)) ...
//
// A result read back from a store lives until the iterator moves on (or, with
// at(), until its scratch is reused): keep what you need, not references.
#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>

#include "model/result_store.h"
#include "model/run_result.h"

namespace chaosgate {

class ExperimentResults {
public:
  // Keeps a reference to `run`, which must outlive this.
  explicit ExperimentResults(const RunResult& run) : m_run(run) {}

  std::size_t size() const { return m_run.result_store ? m_run.result_store->size() : m_run.experiments.size(); }
  bool empty() const { return size() == 0; }
  Verdict verdict(std::size_t position) const {
    return m_run.result_store ? m_run.result_store->verdict(position) : m_run.experiments[position].verdict;
  }
  std::string_view id(std::size_t position) const {
    return m_run.result_store ? m_run.result_store->id(position) : m_run.experiments[position].experiment.id;
  }
  const ExperimentResult& at(std::size_t position, ExperimentResult& scratch) const {
    return m_run.result_store ? m_run.result_store->at(position, scratch) : m_run.experiments[position];
  }

  class Iterator {
  public:
    using iterator_category = std::input_iterator_tag;
    using value_type = ExperimentResult;
    using difference_type = std::ptrdiff_t;
    using pointer = const ExperimentResult*;
    using reference = const ExperimentResult&;

    Iterator(const ExperimentResults& results, std::size_t position) : m_results(&results), m_position(position) {}
    reference operator*() const { return m_results->at(m_position, m_scratch); }
    pointer operator->() const { return &**this; }
    Iterator& operator++() {
      ++m_position;
      return *this;
    }
    bool operator==(const Iterator& other) const { return m_position == other.m_position; }
    bool operator!=(const Iterator& other) const { return m_position != other.m_position; }

  private:
    const ExperimentResults* m_results;
    std::size_t m_position;
    mutable ExperimentResult m_scratch;  // holds a result read back from the store
  };

  Iterator begin() const { return {*this, 0}; }
  Iterator end() const { return {*this, size()}; }

private:
  const RunResult& m_run;
};

}  // namespace chaosgate
