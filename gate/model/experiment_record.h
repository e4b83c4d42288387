#pragma once
// A decoded experiment as bytes, and back: the first part of step 2 of
// ARCHITECTURE "Memory". A run will keep each experiment in a spool file as
// it is loaded and hold only its outline; the scheduler reads the experiment
// back when it starts it. Decoded once, from the bytes that were digested:
// the suite's text is never read again (a file changed in between would run
// what the pin did not check).
//
// Not a format anyone keeps: the same build writes and reads it, within one
// run, so it has a version byte but no compatibility rules.
#include <stdexcept>
#include <string>
#include <string_view>

#include "model/suite.h"

namespace chaosgate {

// A record that is cut short or holds what no record written here holds.
struct RecordError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class ExperimentRecord {
public:
  // Appends `experiment`'s record to `out`: every field, and which of a
  // probe's or an action's parts were written (an unset part is read back
  // unset, so it costs no memory again).
  static void write(const Experiment& experiment, std::string& out);

  // The experiment of a record write() made, equal to the one written. Throws
  // RecordError when the bytes are not one whole record.
  static Experiment read(std::string_view record);

  // The codec's per-type code, in experiment_record.cpp; a friend of Probe,
  // Action and KindSpec, whose parts are private.
  class Writer;
  class Reader;
};

}  // namespace chaosgate
