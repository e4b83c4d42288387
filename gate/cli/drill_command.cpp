#include "cli/command.h"
#include "cli/run_gate.h"

namespace chaosgate::cli {

// A drill is `run` with stricter defaults and rules: promoted experiments
// only, one at a time, every experiment able to stop itself, production only
// with a typed confirmation, no tickets or statuses unless asked.
CommandSpec drill_command() {
  return {"drill", "Replay promoted experiments as a drill (production included) under stricter rules",
          "  chaosgate drill --suite examples/shop-suite.yaml --env staging --out drill/\n"
          "  chaosgate drill --suite suites/ --env production --allow-production --confirm production --only team:checkout\n"
          "Rules: only promoted experiments; each must have a stop condition (its own or the suite's);\n"
          "one experiment at a time unless --parallel says otherwise; an environment marked production\n"
          "needs --allow-production, --confirm <its name> and experiments that opt in (allowProduction).\n"
          "No tickets and no commit status unless --tracker / --status ask for them; the journal and\n"
          "the reports are marked as a drill and the findings are in summary.md.",
          [](CLI::App& command) {
            auto options = std::make_shared<RunOptions>();
            options->drill = true;
            options->out = "chaosgate-drill";
            options->parallel = 1;
            options->tracker.kind = "none";
            options->status.kind = "none";
            command.add_option("--suite", options->source, "Suite file, directory, http(s) URL or gitlab://project//path@ref")
                ->required();
            add_suite_input_options(command, options->input);
            command.add_option("--only", options->selection.only,
                               "Keep only matching promoted experiments: ID-GLOB, team:T, service:S, tag:X, group:G")
                ->delimiter(',');
            command.add_option("--skip", options->selection.skip, "Leave out matching experiments (same forms as --only)")
                ->delimiter(',');
            add_execution_options(command, *options);  // with the drill's defaults set above
            command.add_option("--confirm", options->confirmation,
                               "The production environment's name, typed again: the drill's confirmation");
            return [options, &command] {
              options->command_line = typed_command_line("drill", command);
              return run_gate(*options);
            };
          }};
}

}  // namespace chaosgate::cli
