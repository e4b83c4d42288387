#include <iostream>

#include "cli/command.h"
#include "journal_file.h"
#include "report_writer.h"

namespace chaosgate::cli {

CommandSpec report_command() {
  return {"report", "Write junit.xml, chaosgate.sarif and summary.md again from a journal",
          "  chaosgate report --journal out/journal.json --out rebuilt/",
          [](CLI::App& command) {
            auto journal = std::make_shared<std::string>();
            auto out = std::make_shared<std::string>("chaosgate-out");
            command.add_option("--journal", *journal, "journal.json of a run")->required();
            command.add_option("--out", *out, "Directory for the reports")->capture_default_str();
            return [journal, out] {
              // The journal holds everything; the suite is not needed.
              // The copy of the journal into --out runs while it is read.
              JournalCopy copy(*journal, *out);
              ReportOptions options;
              options.journal_copy = &copy;
              write_reports(read_journal(*journal), *out, options);
              std::cout << "Reports in " << *out << "/\n";
              return 0;
            };
          }};
}

}  // namespace chaosgate::cli
