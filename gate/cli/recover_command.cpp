// `chaosgate recover`: rolls back the faults a killed gate left in effect, from
// the fault ledger it left in its output directory.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/fault_recovery.h"
#include "cli/suite_input.h"
#include "engine/experiment_info.h"
#include "engine/experiment_runner.h"
#include "engine/interruption.h"
#include "http/http_client.h"
#include "http/plain_http_client.h"
#include "system/drivers.h"
#include "util/errors.h"
#include "util/text.h"

namespace chaosgate::cli {

namespace {

struct RecoverOptions {
  std::string out = "chaosgate-out";
  std::string source;  // empty: the suite the run named
  SuiteInputOptions input;
  bool environment_given = false;
  bool dry_run = false;
};

// The owed experiment's definition in the suite as loaded now, or why it
// cannot be trusted to roll back what the run injected.
const Experiment* matching_definition(const Suite& suite, const OwedRollbacks& owed, std::string& why) {
  const auto found = std::find_if(suite.experiments.begin(), suite.experiments.end(),
                                  [&](const Experiment& e) { return e.id == owed.experiment_id; });
  if (found == suite.experiments.end()) {
    why = "the suite has no experiment " + owed.experiment_id + " any more";
    return nullptr;
  }
  const Experiment* experiment = &*found;
  if (definition_digest(*experiment) != owed.definition_digest) {
    why = "its definition changed since the run (ledger " + owed.definition_digest.substr(0, 12) + ", suite now " +
          definition_digest(*experiment).substr(0, 12) + "): load the suite and variables that run used (--suite, --env)";
    return nullptr;
  }
  for (const std::size_t index : owed.faults)
    if (index >= experiment->method.size()) {
      why = "fault " + std::to_string(index) + " is not in its method";
      return nullptr;
    }
  return experiment;
}

std::vector<const Action*> faults_of(const Experiment& experiment, const OwedRollbacks& owed) {
  std::vector<const Action*> faults;
  for (const std::size_t index : owed.faults) faults.push_back(&experiment.method[index]);
  return faults;
}

int recover(const RecoverOptions& options) {
  const std::string path = fault_ledger_path(options.out);
  if (!std::filesystem::exists(path)) {
    std::cout << "Nothing to recover: no fault ledger in " << options.out << "/ (the last run settled its rollbacks)\n";
    return k_exit_passed;
  }
  const LedgerContent ledger = read_fault_ledger(path);
  if (ledger.owed.empty()) {
    if (!options.dry_run) std::filesystem::remove(path);
    std::cout << "Nothing to recover: run " << ledger.run.run_id << " owes no rollback\n";
    return k_exit_passed;
  }
  if (ledger_writer_alive(ledger.run))
    throw UserError("run " + ledger.run.run_id + " (pid " + std::to_string(ledger.run.pid) +
                    ") is still running and rolls back its own faults: send it SIGTERM (its rollbacks run) or wait for it");

  SuiteInputOptions input = options.input;
  if (!options.environment_given) input.environment = ledger.run.environment;
  if (options.source.empty() && ledger.run.suite_source.find("***") != std::string::npos)
    throw UserError("the run's suite URL " + ledger.run.suite_source +
                    " carried a credential, which the ledger does not keep: name the suite again with --suite");
  const std::string source = options.source.empty() ? ledger.run.suite_source : options.source;
  const LoadResult loaded = fetch_and_load(source, input);
  const Suite& suite = require_valid(loaded);

  // Signals wait until the rollbacks are done: they are what keeps staging safe.
  Interruption interruption([](int) { spdlog::warn("signal received again: the rollbacks are finished first"); });
  auto client = std::shared_ptr<http::HttpClient>(http::make_http_client({input.ca_bundle, true, "chaosgate/" CHAOSGATE_VERSION}));
  auto actions = system::make_action_driver(client);
  std::cout << "Run " << ledger.run.run_id << " (started " << ledger.run.started << ", environment "
            << ledger.run.environment << ") left " << ledger.owed.size() << " experiment(s) owing rollbacks\n";
  int unmatched = 0, failed = 0;
  // The last started first, as a run unwinds.
  for (auto owed = ledger.owed.rbegin(); owed != ledger.owed.rend(); ++owed) {
    std::string why;
    const Experiment* experiment = matching_definition(suite, *owed, why);
    if (!experiment) {
      ++unmatched;
      std::cout << "  " << owed->experiment_id << ": NOT rolled back: " << why << '\n';
      continue;
    }
    const auto faults = faults_of(*experiment, *owed);
    if (options.dry_run) {
      std::cout << "  " << owed->experiment_id << ": would run";
      for (auto fault = faults.rbegin(); fault != faults.rend(); ++fault)
        for (const auto& undo : (*fault)->rollback) std::cout << " [" << undo.name << "]";
      for (auto undo = experiment->rollbacks.rbegin(); undo != experiment->rollbacks.rend(); ++undo)
        std::cout << " [" << undo->name << "]";
      std::cout << '\n';
      continue;
    }
    bool all_ok = true;
    for (const auto& record : run_rollbacks(*experiment, faults, *actions, std::chrono::milliseconds(30000))) {
      all_ok = all_ok && record.ok;
      std::cout << "  " << owed->experiment_id << ": " << record.action << ": " << (record.ok ? "ok" : "FAILED") << " ("
                << record.detail << ")\n";
    }
    if (!all_ok) ++failed;
    settle_fault_ledger(path, owed->experiment_id, all_ok);
  }
  if (options.dry_run) return k_exit_passed;
  if (failed > 0 || unmatched > 0)
    std::cout << "Not recovered: " << failed << " experiment(s) with a failed rollback, " << unmatched
              << " not matched; the ledger stays in " << options.out << "/ for the next recover\n";
  else
    std::cout << "Recovered: every rollback ran; the ledger is removed\n";
  if (interruption.interrupted()) return interruption.signal() == SIGINT ? k_exit_sigint : k_exit_sigterm;
  if (unmatched > 0) return k_exit_usage;
  return failed > 0 ? k_exit_environment : k_exit_passed;
}

}  // namespace

CommandSpec recover_command() {
  return {"recover", "Roll back the faults a killed gate left in effect, from the fault ledger in its --out",
          "  chaosgate recover --out out/\n"
          "  chaosgate recover --out out/ --dry-run\n"
          "  chaosgate recover --out out/ --suite examples/shop-suite.yaml --env staging\n"
          "A run records each fault in <out>/faults-in-effect.jsonl before injecting it and removes the file once\n"
          "every rollback ran. A gate killed outright (SIGKILL, OOM) leaves it behind; recover runs the owed\n"
          "rollbacks from the same suite (its definitions must be unchanged) and refuses while that gate is\n"
          "alive. Without a ledger it does nothing and exits 0, so CI can call it after every gate job.",
          [](CLI::App& command) {
            auto options = std::make_shared<RecoverOptions>();
            command.add_option("--out", options->out, "The output directory of the run to recover")->capture_default_str();
            command.add_option("--suite", options->source, "The suite to take the rollbacks from (default: the one the run named)");
            add_suite_input_options(command, options->input);
            command.add_flag("--dry-run", options->dry_run, "Print the rollbacks that would run; touch nothing");
            return [options, &command] {
              options->environment_given = command.get_option("--env")->count() > 0;
              return recover(*options);
            };
          }};
}

}  // namespace chaosgate::cli
