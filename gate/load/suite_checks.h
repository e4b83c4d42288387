#pragma once
#include <string>
#include <vector>

#include "load/first_definitions.h"
#include "model/suite.h"
#include "util/diagnostics.h"

namespace chaosgate {

// The catalog's cross-references: unique ids, services' owners known.
void check_catalog(const Catalog& catalog, Diagnostics& diagnostics);

// An experiment's cross-references, checked as it is decoded so that a caller
// need not hold the whole suite (`validate` keeps none of it): unique ids,
// known team / service / category; fills the defaults taken from the service
// (owner, targets). Made once every file's catalog is decoded.
class ExperimentChecks {
public:
  // Both must outlive this.
  ExperimentChecks(const Catalog& catalog, Diagnostics& diagnostics);

  // `path` is where the experiment was written ("experiments[3]").
  void check(Experiment& experiment, const std::string& path);
  // How many experiments will be checked, when known before the first.
  void expect(std::size_t experiments) { m_first_defined.expect(experiments); }

private:
  const Catalog& m_catalog;
  Diagnostics& m_diagnostics;
  std::vector<std::string> m_team_ids, m_service_ids, m_category_ids;  // for the hints
  // Each id seen, where it first was. Not a node-based map: its nodes,
  // allocated between the experiments' own, could not be given back to the
  // kernel after the load (+0.9 MiB resident at 10,000 experiments).
  FirstDefinitions m_first_defined;
};

}  // namespace chaosgate
