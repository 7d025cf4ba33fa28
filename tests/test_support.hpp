// Helpers shared by the tests: run a scenario given as JSON text, run the
// electsim binary and capture what it prints.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/scenario.hpp"

namespace electsim::testing {

// Validates `scenario_json` (comments allowed) with the real registry.
Scenario scenario_from_text(const std::string& scenario_json, const Overrides& overrides = {});

// Runs and judges it, as `electsim run --format json` would.
nlohmann::json run_text(const std::string& scenario_json, const Overrides& overrides = {});

// Runs a shipped scenario file (path relative to the source tree).
nlohmann::json run_file(const std::string& relative_path, const Overrides& overrides = {});

// Runs with a JSONL trace written to `trace_path`.
nlohmann::json run_file_with_trace(const std::string& relative_path, const std::string& trace_path,
                                   const Overrides& overrides = {});

struct CommandResult {
  int exit_code = -1;
  std::string out, err;
};
// Runs the electsim binary with `args` (no shell), in `directory` if given.
CommandResult run_electsim(const std::vector<std::string>& args, const std::string& directory = "");

std::string source_path(const std::string& relative_path);
std::string temporary_directory();  // a fresh, empty folder

}  // namespace electsim::testing

namespace electsim::testing {

// A JSONL trace as fixed-width text, one event per line, easy to diff:
//   "    166444  send      5 -> 1  RequestVote              term 1"
std::string fixed_width_trace(const std::string& jsonl);

// Compares `actual` with tests/golden/NAME.txt. With ELECTSIM_REWRITE_GOLDEN=1
// in the environment, rewrites the file instead (then review the diff).
// Returns an empty string on a match, else a description of the first difference.
std::string compare_golden(const std::string& name, const std::string& actual);

std::string read_text_file(const std::string& path);

}  // namespace electsim::testing
