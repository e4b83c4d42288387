#include <iostream>
#include <memory>
#include <vector>

#include "cli/command.h"
#include "cli/run_gate.h"
#include "journal_file.h"
#include "report_writer.h"

namespace chaosgate::cli {

namespace {

// The process exits right after `report`: a 10,000-experiment run is ~1.5
// million allocations, and freeing them one by one took ~0.1 s after the last
// report was written. They stay reachable from here (no leak to LeakSanitizer,
// and a test calling run_main many times only keeps them until its end).
void keep_until_exit(std::unique_ptr<RunResult> run) {
  static auto* const kept = new std::vector<std::unique_ptr<RunResult>>();
  kept->push_back(std::move(run));
}

}  // namespace

CommandSpec report_command() {
  return {"report", "Write junit.xml, chaosgate.sarif and summary.md (and report.html) again from a journal",
          "  chaosgate report --journal out/journal.json --out rebuilt/\n"
          "  chaosgate report --journal out/journal.json --out rebuilt/ --html",
          [](CLI::App& command) {
            auto journal = std::make_shared<std::string>();
            auto out = std::make_shared<std::string>("chaosgate-out");
            auto html = std::make_shared<bool>(false);
            command.add_option("--journal", *journal, "journal.json of a run")->required();
            command.add_option("--out", *out, "Directory for the reports")->capture_default_str();
            add_html_flag(command, *html);
            return [journal, out, html] {
              // The journal holds everything; the suite is not needed.
              // The copy of the journal into --out runs while it is read.
              JournalCopy copy(*journal, *out);
              ReportOptions options;
              options.journal_copy = &copy;
              options.html = *html;
              auto run = std::make_unique<RunResult>(read_journal(*journal));
              write_reports(*run, *out, options);
              keep_until_exit(std::move(run));
              std::cout << "Reports in " << *out << "/\n";
              return 0;
            };
          }};
}

}  // namespace chaosgate::cli
