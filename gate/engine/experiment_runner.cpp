#include "engine/experiment_runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "engine/experiment_info.h"
#include "engine/judge.h"
#include "util/redact.h"

namespace chaosgate {

namespace {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

milliseconds since(SteadyClock::time_point start) { return duration_cast<milliseconds>(SteadyClock::now() - start); }

ProbeResult check_once(const Probe& probe, Phase phase, ProbeDriver& driver, const Cancellation* stop = nullptr) {
  ProbeResult result;
  result.probe = probe.name;
  result.phase = phase;
  result.started = Clock::now();
  const auto start = SteadyClock::now();
  const ProbeSample sample = judge_sample(probe, driver.sample(probe, stop), Clock::now());
  result.duration = since(start);
  result.ok = sample.ok;
  result.expected = describe_expectation(probe);
  result.observed = sample.observed;
  result.samples.push_back(sample);
  return result;
}

// Samples one probe on a fixed schedule (start + k * every) until stopped.
class Sampler {
public:
  Sampler(const Probe& probe, Phase phase, milliseconds every, ProbeDriver& driver, Cancellation& stop,
          std::function<void(const std::vector<ProbeSample>&)> after_each = {})
      : m_probe(probe), m_phase(phase), m_every(every), m_driver(driver), m_stop(stop), m_after_each(std::move(after_each)) {
    m_started = Clock::now();
    m_thread = std::thread([this] { loop(); });
  }
  ~Sampler() { join(); }
  Sampler(const Sampler&) = delete;
  Sampler& operator=(const Sampler&) = delete;

  void join() {
    if (m_thread.joinable()) m_thread.join();
  }

  ProbeResult result() {
    join();
    ProbeResult result;
    result.probe = m_probe.name;
    result.phase = m_phase;
    result.started = m_started;
    result.duration = duration_cast<milliseconds>(Clock::now() - m_started);
    const WindowJudgement judgement = judge_window(m_probe, m_samples);
    result.ok = judgement.ok;
    result.expected = judgement.expected;
    result.observed = judgement.observed;
    result.samples = std::move(m_samples);
    return result;
  }

private:
  // Each tick starts a sample without waiting for the previous one: a slow
  // answer during the fault must not thin out the window. At most
  // k_max_in_flight samples run at once; a tick that finds them all busy is
  // recorded as a failed sample, since the system did not keep up.
  void loop() {
    static constexpr std::size_t k_max_in_flight = 32;
    const auto start = SteadyClock::now();
    std::vector<std::thread> in_flight;
    std::atomic<std::size_t> busy{0};
    for (long tick = 0;; ++tick) {
      const auto due = start + m_every * tick;
      if (!m_stop.sleep_until(due)) break;
      const TimePoint at = Clock::now();
      if (busy.load() >= k_max_in_flight) {
        ProbeSample sample;
        sample.at = at;
        sample.observed = std::to_string(k_max_in_flight) + " samples still waiting for an answer";
        add(std::move(sample));
        continue;
      }
      ++busy;
      in_flight.emplace_back([this, at, &busy] {
        add(judge_sample(m_probe, m_driver.sample(m_probe), at));
        --busy;
      });
    }
    for (auto& thread : in_flight) thread.join();
    std::lock_guard lock(m_mutex);
    std::sort(m_samples.begin(), m_samples.end(), [](const ProbeSample& a, const ProbeSample& b) { return a.at < b.at; });
  }

  void add(ProbeSample sample) {
    std::vector<ProbeSample> snapshot;
    {
      std::lock_guard lock(m_mutex);
      m_samples.push_back(std::move(sample));
      if (m_after_each) snapshot = m_samples;
    }
    if (m_after_each) m_after_each(snapshot);
  }

  const Probe& m_probe;
  Phase m_phase;
  milliseconds m_every;
  ProbeDriver& m_driver;
  Cancellation& m_stop;
  std::function<void(const std::vector<ProbeSample>&)> m_after_each;
  std::mutex m_mutex;
  std::vector<ProbeSample> m_samples;
  TimePoint m_started;
  std::thread m_thread;
};

ActionRecord perform(const Action& action, bool rollback, milliseconds timeout, ActionDriver& driver,
                     Cancellation* cancellation) {
  ActionRecord record;
  record.action = action.name;
  record.rollback = rollback;
  record.started = Clock::now();
  const auto start = SteadyClock::now();
  if (action.kind == ActionKind::pause) {
    const bool completed = cancellation ? cancellation->sleep_until(start + std::min(action.pause, timeout))
                                        : (std::this_thread::sleep_for(std::min(action.pause, timeout)), true);
    record.ok = completed;
    record.detail = completed ? "paused " + format_duration(action.pause) : "pause cut short: " + cancellation->reason();
  } else {
    const ActionOutcome outcome = driver.perform(action, timeout, cancellation);
    record.ok = outcome.ok;
    record.detail = redact(outcome.detail);
  }
  record.duration = since(start);
  return record;
}

milliseconds action_timeout(const Action& action) {
  switch (action.kind) {
    case ActionKind::command: return action.command().timeout;
    case ActionKind::http: return action.http().timeout;
    case ActionKind::pause: return action.pause;
    case ActionKind::signal: return milliseconds(5000);
    case ActionKind::network: return milliseconds(5000);
  }
  return milliseconds(5000);
}

}  // namespace

std::vector<ActionRecord> run_rollbacks(const Experiment& experiment, const std::vector<const Action*>& injected,
                                        ActionDriver& driver, milliseconds cap) {
  std::vector<ActionRecord> records;
  auto undo = [&](const Action& action) {
    records.push_back(perform(action, true, std::min(action_timeout(action), cap), driver, nullptr));
    if (!records.back().ok) spdlog::error("{}: rollback {} FAILED: {}", experiment.id, action.name, records.back().detail);
  };
  for (auto fault = injected.rbegin(); fault != injected.rend(); ++fault)
    for (const auto& action : (*fault)->rollback) undo(action);
  for (auto action = experiment.rollbacks.rbegin(); action != experiment.rollbacks.rend(); ++action) undo(*action);
  return records;
}

namespace {

// Breaches are judged on the samples so far: a tolerance fails once at least
// five samples are in and the ratio is already below it; without a tolerance
// (`every` absent) the first failed sample is a breach.
bool stop_condition_breached(const Probe& probe, const std::vector<ProbeSample>& samples) {
  if (!probe.every) return !samples.empty() && !samples.back().ok;
  if (samples.size() < 5) return false;
  return !judge_window(probe, samples).ok;
}

class AttemptRunner {
public:
  AttemptRunner(const Experiment& e, const ExperimentContext& context, int number)
      : m_experiment(e), m_context(context) {
    m_attempt.number = number;
  }

  Attempt run() {
    m_attempt.started = Clock::now();
    const auto start = SteadyClock::now();
    m_context.interruption.watch(&m_abort);
    run_phases(start);
    m_context.interruption.unwatch(&m_abort);
    m_attempt.duration = since(start);
    return std::move(m_attempt);
  }

  // Filled for a failed attempt: which probe deviated.
  std::string deviated_probe, expected, observed;

private:
  void run_phases(SteadyClock::time_point start) {
    const auto deadline = start + m_experiment.timeout;
    // 1. Steady state before: no fault goes into an unhealthy environment.
    // An interruption gives a slow probe up: nothing is in effect yet, and a
    // gate that waits may be killed before it writes its reports.
    for (const auto& probe : m_experiment.steady_state) {
      ProbeResult result = check_once(probe, Phase::before, m_context.probes, &m_abort);
      const bool ok = result.ok;
      m_attempt.probes.push_back(std::move(result));
      if (m_abort.cancelled()) return conclude(Verdict::aborted, m_abort.reason() + " before the fault; nothing was injected");
      if (!ok) {
        const auto& failed = m_attempt.probes.back();
        return conclude(Verdict::error, "environment unhealthy before the fault: " + failed.probe + ": " + failed.observed +
                                            " (expected " + failed.expected + "); no fault was injected");
      }
    }
    if (m_abort.cancelled()) return conclude(Verdict::aborted, m_abort.reason() + " before the fault; nothing was injected");

    // 2. Observation and stop conditions run beside the method.
    Cancellation window_end;
    std::vector<std::unique_ptr<Sampler>> observers, guards;
    for (const auto& probe : m_experiment.observe)
      observers.push_back(std::make_unique<Sampler>(probe, Phase::during, *probe.every, m_context.probes, window_end));
    std::vector<const Probe*> stop_conditions;
    for (const auto& probe : m_context.suite.stop_conditions) stop_conditions.push_back(&probe);
    for (const auto& probe : m_experiment.stop_conditions) stop_conditions.push_back(&probe);
    for (const Probe* probe : stop_conditions) {
      guards.push_back(std::make_unique<Sampler>(
          *probe, Phase::stop_condition, probe->every.value_or(m_context.stop_condition_every), m_context.probes, window_end,
          [this, probe](const std::vector<ProbeSample>& samples) {
            if (stop_condition_breached(*probe, samples))
              m_abort.cancel("stop condition " + probe->name + " breached: " + samples.back().observed);
          }));
    }

    // 3. The method, in order. A fault is recorded as injected before it is
    // attempted: a half-applied fault must be rolled back too.
    std::vector<const Action*> injected;
    std::string action_error;
    // Only an experiment that can owe a rollback is recorded (the rest cost
    // nothing: zero-fault experiments are common in large suites).
    const bool owes_rollbacks = !m_experiment.rollbacks.empty() ||
                                std::any_of(m_experiment.method.begin(), m_experiment.method.end(),
                                            [](const Action& action) { return action.is_fault(); });
    FaultLedger* ledger = owes_rollbacks ? m_context.ledger : nullptr;
    if (ledger) ledger->method_started(m_experiment);
    for (const auto& action : m_experiment.method) {
      if (m_abort.cancelled()) break;
      const auto left = duration_cast<milliseconds>(deadline - SteadyClock::now());
      if (left <= milliseconds(0)) {
        m_abort.cancel("experiment timeout " + format_duration(m_experiment.timeout) + " reached");
        break;
      }
      if (action.is_fault()) {
        if (!record_in_ledger(ledger, action, action_error)) break;
        injected.push_back(&action);
      }
      ActionRecord record = perform(action, false, std::min(action_timeout(action), left), m_context.actions, &m_abort);
      spdlog::debug("{}: {} {}: {}", m_experiment.id, action.name, record.ok ? "done" : "FAILED", record.detail);
      const bool ok = record.ok;
      m_attempt.actions.push_back(std::move(record));
      if (!ok && !m_abort.cancelled()) {
        action_error = "action " + action.name + " failed: " + m_attempt.actions.back().detail;
        break;
      }
    }

    // 4. The fault window ends with the method. 5. Rollbacks, always: per
    // fault in reverse order, then the experiment's own. They run before the
    // window's samples are collected: a sample still waiting for an answer
    // must not keep a fault in place.
    window_end.cancel("fault window over");
    const std::string rollback_error = roll_back(injected);
    settle_ledger(ledger, rollback_error.empty());
    for (auto& observer : observers) m_attempt.probes.push_back(observer->result());
    for (auto& guard : guards) m_attempt.probes.push_back(guard->result());

    // 6. Steady state after, polled until it holds or the recovery time runs out.
    const bool recovered = m_abort.cancelled() ? check_after_once() : wait_for_recovery();

    // 7. The verdict, most serious first.
    if (m_abort.cancelled()) return conclude(Verdict::aborted, m_abort.reason() + "; rollbacks ran" + rollback_error);
    if (!action_error.empty()) return conclude(Verdict::error, action_error + rollback_error);
    if (!rollback_error.empty()) return conclude(Verdict::error, rollback_error.substr(2));
    for (const auto& probe : m_attempt.probes) {
      if (probe.phase == Phase::during && !probe.ok) {
        deviated_probe = probe.probe;
        expected = probe.expected;
        observed = probe.observed;
        return conclude(Verdict::failed, probe.probe + ": " + probe.observed + ", expected " + probe.expected);
      }
    }
    if (!recovered) {
      const auto& last = m_attempt.probes.back();
      deviated_probe = last.probe;
      expected = last.expected;
      observed = last.observed;
      return conclude(Verdict::failed, "did not recover within " + format_duration(m_experiment.recovery_time) + ": " +
                                           last.probe + ": " + last.observed + ", expected " + last.expected);
    }
    conclude(Verdict::passed, "hypothesis held");
  }

  // Records the fault before it is attempted; false (with `error` set) when
  // it cannot be: then it is not injected.
  bool record_in_ledger(FaultLedger* ledger, const Action& fault, std::string& error) {
    if (!ledger) return true;
    try {
      ledger->injecting(m_experiment, static_cast<std::size_t>(&fault - m_experiment.method.data()));
      return true;
    } catch (const std::exception& e) {
      error = std::string(e.what()) + ": fault " + fault.name + " not injected";
      return false;
    }
  }

  void settle_ledger(FaultLedger* ledger, bool all_ok) {
    if (!ledger) return;
    try {
      ledger->rolled_back(m_experiment, all_ok);
    } catch (const std::exception& e) {
      // The rollbacks ran; a recover reading the stale entry runs them again.
      spdlog::error("{}: {}", m_experiment.id, e.what());
    }
  }

  // Returns "" or "; rollback X failed: ..." for each failure.
  std::string roll_back(const std::vector<const Action*>& injected) {
    std::string errors;
    for (ActionRecord& record : run_rollbacks(m_experiment, injected, m_context.actions, m_context.rollback_timeout)) {
      if (!record.ok) errors += "; rollback " + record.action + " failed: " + record.detail;
      m_attempt.actions.push_back(std::move(record));
    }
    return errors;
  }

  bool check_after_once() {
    bool all_ok = true;
    for (const auto& probe : m_experiment.steady_state) {
      m_attempt.probes.push_back(check_once(probe, Phase::after, m_context.probes));
      all_ok = all_ok && m_attempt.probes.back().ok;
    }
    return all_ok;
  }

  bool wait_for_recovery() {
    const auto give_up = SteadyClock::now() + m_experiment.recovery_time;
    for (;;) {
      // Keep only the final round in the journal: earlier rounds are the recovery, not the verdict.
      const std::size_t before = m_attempt.probes.size();
      std::vector<ProbeResult> round;
      bool all_ok = true;
      for (const auto& probe : m_experiment.steady_state) {
        round.push_back(check_once(probe, Phase::after, m_context.probes));
        if (!round.back().ok) {
          all_ok = false;
          break;
        }
      }
      m_attempt.probes.resize(before);
      const bool out_of_time = SteadyClock::now() + m_context.recovery_poll > give_up;
      if (all_ok || out_of_time || m_abort.cancelled()) {
        for (auto& result : round) m_attempt.probes.push_back(std::move(result));
        return all_ok;
      }
      m_abort.sleep_until(SteadyClock::now() + m_context.recovery_poll);
    }
  }

  void conclude(Verdict verdict, std::string reason) {
    m_attempt.verdict = verdict;
    m_attempt.reason = std::move(reason);
  }

  const Experiment& m_experiment;
  const ExperimentContext& m_context;
  Attempt m_attempt;
  Cancellation m_abort;
};

}  // namespace

ExperimentResult run_experiment(const Experiment& experiment, const ExperimentContext& context) {
  ExperimentResult result;
  result.experiment = make_experiment_info(context.suite, experiment);
  result.started = Clock::now();
  const auto start = SteadyClock::now();
  for (int number = 1; number <= experiment.retries + 1; ++number) {
    AttemptRunner runner(experiment, context, number);
    Attempt attempt = runner.run();
    const Verdict verdict = attempt.verdict;
    if (number == 1) {
      result.verdict = verdict;
      result.reason = attempt.reason;
      result.deviated_probe = runner.deviated_probe;
      result.expected = runner.expected;
      result.observed = runner.observed;
    }
    result.attempts.push_back(std::move(attempt));
    // Only a failure is retried: an error or an abort is not a question of luck.
    if (verdict != Verdict::failed) {
      if (number > 1 && verdict == Verdict::passed) {
        result.verdict = Verdict::flaky;
        result.reason = "failed, then passed on retry " + std::to_string(number - 1) + ": " + result.reason;
      }
      break;
    }
    if (context.interruption.interrupted()) break;
  }
  if (result.verdict == Verdict::failed || result.verdict == Verdict::flaky || result.verdict == Verdict::error)
    result.fingerprint = regression_fingerprint(context.suite.name, experiment.id,
                                                result.deviated_probe.empty() ? "error" : result.deviated_probe);
  result.duration = since(start);
  return result;
}

}  // namespace chaosgate
