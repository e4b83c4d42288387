#pragma once
// One attempt of an experiment drawn for report.html as an inline <svg>: a row
// per probe result in time order (before, during, after), x = time since the
// attempt started, shared by every row; y = what the probe measured (latency
// in ms for http and tcp, the exit code, the PromQL value), scaled to its own
// row. Failed samples are red dots, unanswered ones (or ones without a finite
// value) hollow red rings on the row's floor; the span
// from the method's first action to the end of the last rollback is shaded as
// the fault window. Styled by report.html's classes (fault, series, bad, miss,
// good, axis); every text from the run is escaped (html_text.h).
#include <cstddef>
#include <string>

#include "model/run_result.h"

namespace chaosgate {

// Appends the <svg> element to `out`. A row's line keeps at most `max_points`
// samples (evenly thinned past it) and at most as many failed samples are
// marked, so a probe sampled every 10 ms for an hour stays a few kilobytes.
void append_timeline_svg(std::string& out, const Attempt& attempt, std::size_t max_points = 300);

}  // namespace chaosgate
