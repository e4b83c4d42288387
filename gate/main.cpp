#include "cli/command.h"

int main(int argc, char** argv) { return chaosgate::cli::run_main(argc, argv); }
