// Running one scenario with one seed and judging it: the piece shared by
// `run`, `sweep` and the tests. Wires the registry (algorithms) to the
// checkers (analysis); knows nothing of the command line's output.
#pragma once

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "algorithms/registry.hpp"
#include "analysis/checks.hpp"
#include "sim/scenario.hpp"

namespace electsim {

struct RunRequest {
  const Scenario* scenario = nullptr;
  std::string algorithm;       // empty: the scenario's
  std::FILE* trace = nullptr;  // JSONL trace, if wanted
  Overrides overrides;         // as given, for the reproduce command
};

// The exact command that reproduces a run of `file` with these overrides.
std::string reproduce_command(const std::string& file, const Overrides& overrides);

CheckOptions check_options(const Scenario& scenario, const AlgorithmInfo& info,
                           const nlohmann::json& params);

// Runs and judges; throws InternalError on a bug (an assertion).
nlohmann::json run_scenario(const RunRequest& request);

}  // namespace electsim
