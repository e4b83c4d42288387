#pragma once
// An experiment's journal record written as text, member by member, exactly
// as dump_json prints the same record built as a nlohmann DOM (to_json in
// model/run_result.cpp): building that DOM for each record and printing it
// was 40 % of the CPU of a 10,000-experiment run.
#include "json_text.h"
#include "model/run_result.h"

namespace chaosgate {

void write_experiment_record(JsonText& out, const ExperimentResult& result);

}  // namespace chaosgate
