#pragma once
// Subcommands as data: name, help and handler in one place, so the help text
// and the dispatch cannot disagree (see app.cpp's table).
#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace chaosgate::cli {

// Registers the subcommand's options on `command` and returns the handler to
// run after parsing; the handler returns the exit code.
using CommandSetup = std::function<std::function<int()>(CLI::App& command)>;

struct CommandSpec {
  std::string name;
  std::string summary;   // one line, shown in `chaosgate --help`
  std::string examples;  // shown at the end of `chaosgate NAME --help`
  CommandSetup setup;
};

CommandSpec run_command();
CommandSpec validate_command();
CommandSpec list_command();
CommandSpec schema_command();
CommandSpec report_command();
CommandSpec merge_command();
CommandSpec tickets_command();
CommandSpec risks_command();
CommandSpec coverage_command();
CommandSpec promote_command();
CommandSpec drill_command();
CommandSpec proxy_command();
CommandSpec recover_command();

// Entry point of the chaosgate executable.
int run_main(int argc, char** argv);

}  // namespace chaosgate::cli
