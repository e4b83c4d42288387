#include <spdlog/spdlog.h>

#include <iostream>

#include "cli/command.h"
#include "cli/logging.h"
#include "util/errors.h"
#include "util/release_memory.h"

namespace chaosgate::cli {

namespace {

// The commands that exist. A command is listed here only once it works.
std::vector<CommandSpec> commands() {
  return {run_command(), validate_command(), list_command(), merge_command(), report_command(), tickets_command(), risks_command(), coverage_command(), promote_command(), drill_command(), recover_command(), proxy_command(), schema_command()};
}

constexpr const char* k_exit_codes =
    "Exit codes: 0 gate passed / input valid; 1 regressions; 2 usage, config or suite error;\n"
    "3 environment or infrastructure error (inconclusive); 130/143 interrupted.";

}  // namespace

int run_main(int argc, char** argv) {
  return_large_blocks_to_kernel();
  CLI::App app{"chaosgate: the chaos-engineering release gate. Runs the promoted green suite against staging\n"
               "and decides whether a release may pass.",
               "chaosgate"};
  app.footer(k_exit_codes);
  app.set_version_flag("--version", std::string("chaosgate ") + CHAOSGATE_VERSION);
  app.require_subcommand(1);

  std::string log_format = "text";
  int verbose = 0;
  bool quiet = false;
  app.add_option("--log-format", log_format, "Log format on stderr")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  app.add_flag("-v,--verbose", verbose, "More detail in the log (repeat for more)");
  app.add_flag("-q,--quiet", quiet, "Only errors in the log");

  std::function<int()> handler;
  for (const auto& spec : commands()) {
    CLI::App* command = app.add_subcommand(spec.name, spec.summary);
    command->footer("Examples:\n" + spec.examples + "\n" + k_exit_codes);
    // A command's options are registered when the command line names it, just
    // before CLI11 reads its arguments: registering all thirteen commands'
    // ~160 options up front was half of every start-up's instructions.
    command->preparse_callback([&handler, command, setup = spec.setup](std::size_t) {
      auto run = setup(*command);
      command->callback([&handler, run] { handler = run; });
    });
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // prints help / version / the error
    return code == 0 ? k_exit_passed : k_exit_usage;
  }

  setup_logging(log_format == "json" ? LogFormat::json : LogFormat::text, quiet ? -1 : verbose);
  try {
    return handler();
  } catch (const UserError& e) {
    // The one place where user mistakes and unreachable sources become an exit code.
    spdlog::error("{}", e.what());
    return e.exit_code();
  } catch (const std::bad_alloc&) {
    spdlog::error("out of memory");
    return k_exit_environment;
  } catch (const std::exception& e) {
    // Last resort: one line, never an abort with a stack trace.
    spdlog::error("internal error: {}", e.what());
    return k_exit_environment;
  }
}

}  // namespace chaosgate::cli
