#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cassert>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>

#include "cli/ci_context.h"
#include "cli/fault_recovery.h"
#include "cli/command.h"
#include "cli/phase_end.h"
#include "cli/run_conclusion.h"
#include "cli/run_gate.h"
#include "cli/run_results.h"
#include "cli/suite_input.h"
#include "cli/ticket_filing.h"
#include "engine/gate_decision.h"
#include "engine/experiment_store.h"
#include "engine/interruption.h"
#include "engine/network_sweep.h"
#include "engine/preflight.h"
#include "engine/suite_runner.h"
#include "http/plain_http_client.h"
#include "insight/coverage.h"
#include "plan/planner.h"
#include "system/drivers.h"
#include "util/errors.h"
#include "util/redact.h"
#include "util/release_memory.h"
#include "util/text.h"

namespace chaosgate::cli {

namespace {

std::string new_run_id() {
  std::random_device random;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%08x%08x", random(), random());
  return buffer;
}

// The experiments still running, for the message a second signal prints.
class RunningSet {
public:
  void add(const std::string& id) { std::lock_guard lock(m_mutex); m_ids.insert(id); }
  void remove(const std::string& id) { std::lock_guard lock(m_mutex); m_ids.erase(id); }
  std::string text() const {
    std::lock_guard lock(m_mutex);
    return join(std::vector<std::string>(m_ids.begin(), m_ids.end()), ", ");
  }

private:
  mutable std::mutex m_mutex;
  std::set<std::string> m_ids;
};

// The ledger of the faults this run puts in effect, in --out (created here:
// it must exist before the first fault).
std::unique_ptr<FaultLedgerFile> open_fault_ledger(const RunOptions& options, const RunResult& run) {
  try {
    std::filesystem::create_directories(options.out);
    return std::make_unique<FaultLedgerFile>(
        fault_ledger_path(options.out),
        LedgerRun{run.run_id, static_cast<long>(::getpid()), suite_source_for_ledger(options.source), run.suite_digest,
                  run.environment, format_time(run.started)});
  } catch (const std::exception& e) {
    throw UserError(std::string("--out ") + options.out + ": " + e.what() + ": no fault is injected without it");
  }
}

// Passed experiments' journal records are spooled to --out as they finish and
// their results left out of memory (run_results.h); each report reads them
// back when it comes to them, without their attempts: nothing but journal.json
// reads a passed experiment's probes and actions (a failed rollback makes an
// experiment an error, so the sweep below never needs them either). Without a
// spool results stay whole.
std::unique_ptr<JournalSpool> open_journal_spool(const std::string& out, std::size_t experiments) {
  try {
    return std::make_unique<JournalSpool>(out, experiments);
  } catch (const std::exception& e) {
    spdlog::debug("{}: every result is kept whole until the reports", e.what());
    return nullptr;
  }
}

// The interrupt sweep (engine/network_sweep.h): after a signal, or when a
// network rollback failed, every toxic of the experiments that ran is removed
// again. What it did goes into the log and the journal's notices. Experiments
// are read back from the shelf one at a time: first those whose results are
// held (a spooled one passed, so no rollback of it failed), then, only when
// there is a sweep to make, every one that ran.
void sweep_network_toxics(RunResult& run, const RunResults& results, const ExperimentShelf& shelf, bool interrupted,
                          ActionDriver& actions) {
  // run_experiments gives one result per experiment of the shelf, in its order.
  assert(results.size() == shelf.size());
  bool network_rollback_failed = false;
  for (std::size_t i = 0; i < shelf.size() && !network_rollback_failed; ++i) {
    const ExperimentResult* result = results.held(i);
    if (result == nullptr || result->verdict == Verdict::skipped) continue;
    std::optional<Experiment> held;
    const Experiment* experiment = nullptr;
    try {
      experiment = &shelf.get(i, held);
    } catch (const std::exception&) {
      network_rollback_failed = true;  // cannot tell: the sweep only removes what this run may have added
      break;
    }
    assert(result->experiment.id == experiment->id);
    std::set<std::string> toxic_removals;  // the implicit rollbacks of its network faults
    for (const auto& action : experiment->method)
      if (action.kind == ActionKind::network)
        for (const auto& undo : action.rollback) toxic_removals.insert(undo.name);
    for (const auto& attempt : result->attempts)
      for (const auto& record : attempt.actions)
        if (record.rollback && !record.ok && toxic_removals.contains(record.action)) network_rollback_failed = true;
  }
  if (!interrupted && !network_rollback_failed) return;
  NetworkSweep sweep;
  for (std::size_t i = 0; i < shelf.size(); ++i) {
    if (results.verdict(i) == Verdict::skipped) continue;
    std::optional<Experiment> held;
    try {
      sweep.add(shelf.get(i, held));
    } catch (const std::exception& e) {
      run.notices.push_back("the network sweep could not read back experiment " + std::to_string(i + 1) +
                            " of the run's order (" + e.what() + "): toxics it added, if any, are not swept");
      spdlog::error("{}", run.notices.back());
    }
  }
  for (const auto& record : sweep.perform(interrupted, actions, std::chrono::milliseconds(5000))) {
    if (record.ok) {
      spdlog::info("{}: {}", record.action, record.detail);
      if (record.detail.find("already gone") == std::string::npos) run.notices.push_back(record.action + ": " + record.detail);
    } else {
      spdlog::error("{} FAILED: {}", record.action, record.detail);
      run.notices.push_back(record.action + " FAILED: " + record.detail + ": the toxic may still be in effect");
    }
  }
}

// Where the experiments' spool and the suite file's copy go: --out, or while
// it does not exist yet the nearest directory above it (the same disk;
// nothing is made there, the files have no name). A dry run touches nothing:
// its suite and experiments stay in memory.
std::string spool_directory(const RunOptions& options) {
  if (options.dry_run) return "";
  std::error_code error;
  auto dir = std::filesystem::absolute(options.out, error);
  if (error) return "";
  while (!std::filesystem::is_directory(dir, error) && dir.has_parent_path() && dir != dir.parent_path()) dir = dir.parent_path();
  return dir.string();
}

// The suite, its download given up on a signal: the run then ends as
// interrupted (exit 130/143, nothing ran), not as an unreachable source.
LoadResult fetch_suite(const RunOptions& options, const Interruption& interruption, const SignalCancellation& on_signal,
                       const std::string& spool_dir, ExperimentStore& experiments) {
  SuiteInputOptions input = options.input;
  input.copy_dir = spool_dir;
  try {
    return fetch_and_load(options.source, input, on_signal.get(),
                          [&](Experiment&& experiment) { experiments.keep(std::move(experiment)); },
                          [&](std::size_t count) { experiments.reserve(count); });
  } catch (const UserError& e) {
    if (!interruption.interrupted()) throw;
    throw UserError(e.what(), interruption.signal() == SIGINT ? k_exit_sigint : k_exit_sigterm);
  }
}

// The ids of `order`, in one buffer sized once: `run` holds them to its end.
TextList ids_of(const std::vector<const ExperimentOutline*>& order) {
  std::size_t characters = 0;
  for (const ExperimentOutline* outline : order) characters += outline->id.view().size();
  TextList ids;
  ids.reserve(order.size(), characters);
  for (const ExperimentOutline* outline : order) ids.push_back(outline->id.view());
  return ids;
}

}  // namespace

int run_gate(const RunOptions& options) {
  const auto policy = parse_fail_on(options.fail_on);
  std::optional<Millis> deadline;
  if (!options.deadline.empty() && !(deadline = parse_duration(options.deadline)))
    throw UserError("--deadline " + in_quotes(options.deadline) + ": write a duration such as 15m");
  const CiContext ci = detect_ci_context(options.ci_overrides);
  const SelectionCriteria criteria = options.selection.criteria(ci);
  const auto priorities = priority_names(options.tracker);
  // Signals are taken by a watcher thread from here on: rollbacks always run.
  RunningSet running;
  Interruption interruption([&](int) {
    spdlog::warn("signal received again: still rolling back {}; rollbacks are not skipped", running.text());
  });
  // The suite download, preflight, the tracker and the status publisher give
  // up their waits on a signal (the experiments have their own Cancellation).
  const SignalCancellation on_signal(interruption);

  RunResult run;
  run.run_id = new_run_id();
  run.tool_version = CHAOSGATE_VERSION;
  run.started = Clock::now();
  run.command_line = redact(options.command_line);
  run.ci = ci;
  run.shard = options.selection.shard;
  run.environment = options.input.environment;
  run.drill = options.drill;

  // Set up in step 3 and used to the end; everything else of steps 1-4 (the
  // suite's catalog, the experiments' spool, the scheduler's bookkeeping) is
  // freed once the experiments have run, since the tickets and reports read
  // `run` only. The results then become `run`'s ResultStore, read one at a time.
  std::map<std::string, Team> teams;
  std::optional<TicketOutbox> outbox;
  std::unique_ptr<Tracker> tracker;
  std::optional<StatusReporter> status;
  std::unique_ptr<JournalSpool> spool;
  std::shared_ptr<RunResults> results;
  {
    // 1. Load the suite: each experiment to the spool as it is decoded, its
    // outline kept for the decisions of steps 2 and 3.
    const std::string spool_dir = spool_directory(options);
    ExperimentStore experiments(spool_dir);
    LoadResult loaded = fetch_suite(options, interruption, on_signal, spool_dir, experiments);
    const Suite& suite = require_valid(loaded);  // without its experiments
    const std::vector<ExperimentOutline>& outlines = experiments.outlines();
    end_phase("loading");  // the parsed tree's pages given back before threads start
    run.suite_name = suite.name;
    run.suite_version = suite.version;
    run.suite_digest = suite.digest;
    run.suite_files = suite.files;
    const Environment* declared = suite.catalog.find_environment(options.input.environment);
    const Environment environment = declared ? *declared : Environment{options.input.environment, false, {}, {}};
    run.production = environment.production;
    for (auto& category : insight::build_coverage(suite.catalog, outlines).categories)  // moved: the lists are made to size
      run.incident_coverage.push_back({std::move(category.id), std::move(category.title), std::move(category.incidents),
                                       std::move(category.experiments)});

    // 2. Plan: what runs, in which order, next to what.
    Selection selection = select_experiments(suite, outlines, criteria);
    // The plan's start order is what the scheduler takes (`list` shows the
    // whole plan): its entries and waits are never built here.
    std::vector<const ExperimentOutline*> order;
    {
      const StartOrder start = plan_start_order(selection.selected, options.parallel);
      order.reserve(start.positions.size());
      for (const std::uint32_t position : start.positions) order.push_back(selection.selected[position]);
      end_phase("planning");
      spdlog::info("suite {} ({} of {} experiments selected), environment {}, estimated {}", suite.name,
                   selection.selected.size(), outlines.size(), environment.name, format_duration(start.estimated_wall));
    }
    // The experiments to run, in start order, as the scheduler and preflight take them.
    std::vector<std::uint32_t> in_order;
    in_order.reserve(order.size());
    for (const ExperimentOutline* outline : order) in_order.push_back(outline->index);
    const ExperimentsInOrder to_run(experiments, std::move(in_order));
    // Merge-request scope: say what the change reached; a change touching no
    // service runs nothing and passes.
    if (selection.change_scope) run.notices.push_back(selection.change_scope->note(selection.selected.size()));
    // A gate that passes having run nothing must say so where it is read,
    // not only in the log (a suite with nothing promoted, every experiment skipped).
    if (!selection.change_scope && selection.selected.empty()) {
      run.notices.push_back(nothing_selected_note(selection));
      spdlog::warn("{}", run.notices.back());
    }
    const bool nothing_to_run = selection.change_scope && selection.selected.empty();
    if (options.dry_run) {
      for (const ExperimentOutline* experiment : order) std::cout << "would run " << experiment->id << '\n';
      std::cout << "dry run: nothing was injected\n";
      return k_exit_passed;
    }

    // 3. Guard, tracker set-up and preflight: nothing is touched unless all
    // pass (a missing tracker token found after the faults would lose tickets).
    if (options.drill) guard_drill(suite, environment, selection.selected, {options.allow_production, options.confirmation});
    guard_production(environment, selection.selected, options.allow_production);
    if (!nothing_to_run) refuse_if_faults_left(options.out);
    // What the scheduler takes of the outlines, then they go with the
    // selection once the last decision is made (~100 bytes an experiment):
    // the tracker's set-up and preflight were run's peak with them held.
    // The experiments are read back from the spool from here on.
    Schedule schedule(order);
    TextList planned_ids = ids_of(order);  // each position's id, for the results
    selection = Selection();
    std::vector<const ExperimentOutline*>().swap(order);  // swapped: `= {}` would keep the capacity
    experiments.drop_outlines();
    for (const auto& team : suite.catalog.teams) teams[team.id] = team;
    outbox.emplace(outbox_dir(options.tracker));
    teams = with_queued_routes(std::move(teams), *outbox);
    tracker = make_tracker(options.tracker, options.out, teams, on_signal.get());
    status.emplace(options.status, run.ci, run.environment, run.shard, on_signal.get());
    status->running(suite.name, to_run.size());
    // Plain http:// probes and actions skip libcurl (and loading its ~35 libraries).
    auto client = std::shared_ptr<http::HttpClient>(http::make_http_client({options.input.ca_bundle, true, "chaosgate/" CHAOSGATE_VERSION}));
    auto probes = system::make_probe_driver(client);
    auto actions = system::make_action_driver(client);
    if (!nothing_to_run) run.preflight_problems = preflight(suite, to_run, *probes, on_signal.get());
    for (const auto& problem : run.preflight_problems) spdlog::error("preflight: {}", problem);

    // 4. Execute, each fault recorded in the ledger before it is injected.
    if (run.preflight_problems.empty() && !interruption.interrupted()) {
      end_phase("preflight");
      std::unique_ptr<FaultLedgerFile> ledger = open_fault_ledger(options, run);
      ExperimentContext context{suite, *probes, *actions, interruption};
      context.ledger = ledger.get();
      SuiteRunOptions run_options;
      run_options.parallel = options.parallel;
      if (deadline) run_options.deadline = std::chrono::steady_clock::now() + *deadline;
      run_options.on_start = [&](const Experiment& e) {
        running.add(e.id);
        spdlog::info("{}: started ({} on {})", e.id, enum_name(e.attack_group), join(e.targets, ","));
      };
      run_options.on_finish = [&](const ExperimentResult& r) {
        running.remove(r.experiment.id);
        spdlog::info("{}: {} in {}{}", r.experiment.id, enum_name(r.verdict), format_duration(r.duration),
                     r.verdict == Verdict::passed ? "" : ": " + r.reason);
      };
      spool = open_journal_spool(options.out, to_run.size());
      results = std::make_shared<RunResults>(std::move(planned_ids), spool.get());
      run_experiments(std::move(schedule), to_run, context, run_options,
                      [&](std::size_t position, ExperimentResult&& result) { results->keep(position, std::move(result)); });
      sweep_network_toxics(run, *results, to_run, interruption.interrupted(), *actions);
      if (!ledger->close_if_settled()) {
        const std::string note = "faults may still be in effect (a rollback failed): " + join(ledger->owing(), ", ") +
                                 "; `chaosgate recover --out " + options.out + "` runs their rollbacks again";
        spdlog::error("{}", note);
        run.notices.push_back(note);
      }
      end_phase("executing");
    }
  }
  run.finished = Clock::now();
  // The suite's pages, freed above, back to the kernel before the reports
  // are made: left in the heap they stayed resident under what those allocate.
  release_free_memory();
  if (results) {
    std::vector<std::string> unread;
    results->check(unread);
    for (const auto& problem : unread) spdlog::error("{}", problem);
    run.notices.insert(run.notices.end(), unread.begin(), unread.end());
    run.result_store = std::move(results);
    end_phase("reading the results back");
  }

  // 5. Decide, file tickets, publish and report (also when interrupted:
  // partial reports are written).
  return conclude_run(run, {options, *policy, interruption, tracker.get(), *outbox, teams, priorities, *status, spool.get()});
}

void add_html_flag(CLI::App& command, bool& html) {
  command.add_flag("--html", html, "Also write report.html: timelines of what did not pass, a table of every experiment");
}

std::string typed_command_line(const std::string& name, const CLI::App& command) {
  std::string line = "chaosgate " + name;
  for (const auto* option : command.get_options())
    for (const auto& value : option->results()) line += " " + option->get_name() + " " + value;
  return line;
}

void add_execution_options(CLI::App& command, RunOptions& options) {
  command.add_option("--out", options.out, "Directory for junit.xml, chaosgate.sarif, journal.json, summary.md")
      ->capture_default_str();
  add_html_flag(command, options.html);
  command.add_option("--parallel", options.parallel, "At most this many experiments at once (disjoint targets only)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  command.add_option("--deadline,--budget", options.deadline, "Start nothing after this long (e.g. 15m); the rest is skipped");
  command.add_option("--fail-on", options.fail_on, "Exit policy: regression (default), any, never")
      ->check(CLI::IsMember({"regression", "any", "never"}));
  add_tracker_options(command, options.tracker);
  add_status_options(command, options.status);
  command.add_option("--ci", options.ci_overrides,
                     "Override a CI context value, KEY=VALUE (repeatable): commit, ref, tag, project, project_id, "
                     "api_url, merge_request, pipeline_url, job_url, ...");
  command.add_flag("--dry-run", options.dry_run, "Print what would run; touch nothing");
  command.add_flag("--allow-production", options.allow_production,
                   "Allow faults in an environment marked production (each experiment must opt in too)");
}

CommandSpec run_command() {
  return {"run", "Run the promoted suite against an environment and decide the gate",
          "  chaosgate run --suite examples/shop-suite.yaml --env staging --out out/\n"
          "  chaosgate run --suite https://chaos.example.com/shop.yaml --suite-sha256 <digest> --fail-on any\n"
          "  chaosgate run --suite suites/ --shard 1/3 --deadline 15m",
          [](CLI::App& command) {
            auto options = std::make_shared<RunOptions>();
            command.add_option("--suite", options->source, "Suite file, directory, http(s) URL or gitlab://project//path@ref")
                ->required();
            add_suite_input_options(command, options->input);
            add_selection_options(command, options->selection);
            add_execution_options(command, *options);
            return [options, &command] {
              options->command_line = typed_command_line("run", command);
              return run_gate(*options);
            };
          }};
}

}  // namespace chaosgate::cli
