// Running and judging one scenario; see runner.hpp.
#include "cli/runner.hpp"

#include <chrono>

#include "analysis/result.hpp"
#include "sim/trace.hpp"

namespace electsim {

namespace {
// Quotes a word for a POSIX shell when it needs it.
std::string shell_word(const std::string& word) {
  const bool plain = !word.empty() && word.find_first_not_of(
                                          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789-_./=:,@+%") == std::string::npos;
  if (plain) return word;
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}
}  // namespace

std::string reproduce_command(const std::string& file, const Overrides& overrides) {
  std::string command = "electsim run " + shell_word(file);
  if (overrides.algorithm) command += " --algorithm " + shell_word(*overrides.algorithm);
  if (overrides.nodes) command += " --nodes " + std::to_string(*overrides.nodes);
  if (overrides.duration) command += " --duration " + shell_word(*overrides.duration);
  for (const std::string& set : overrides.sets) command += " --set " + shell_word(set);
  if (overrides.seed) command += " --seed " + std::to_string(*overrides.seed);
  return command;
}

CheckOptions check_options(const Scenario& scenario, const AlgorithmInfo& info,
                           const nlohmann::json& params) {
  CheckOptions options;
  options.safety_enabled = scenario.checks.safety;
  options.liveness_enabled = scenario.checks.liveness;
  options.liveness_within = scenario.checks.liveness_within;
  options.election_safety = info.promises_election_safety;
  options.synchronous = info.synchronous_checks;
  if (scenario.checks.split_brain_grace)
    options.split_brain_grace = *scenario.checks.split_brain_grace;
  else if (!info.split_brain_grace_param.empty())
    options.split_brain_grace = params.at(info.split_brain_grace_param).get<Time>();
  return options;
}

nlohmann::json run_scenario(const RunRequest& request) {
  const Scenario& scenario = *request.scenario;
  const std::string name = request.algorithm.empty() ? scenario.algorithm : request.algorithm;
  const AlgorithmInfo* info = registry().algorithm(name);
  const nlohmann::json params =
      name == scenario.algorithm ? scenario.params : scenario.params_for(name, registry());
  Scenario adjusted;
  const Scenario* to_run = &scenario;
  if (name != scenario.algorithm) {
    adjusted = scenario;
    adjusted.algorithm = name;
    adjusted.params = params;
    to_run = &adjusted;
  }
  Trace trace;
  if (request.trace) trace.write_to(request.trace);
  const auto wall_start = std::chrono::steady_clock::now();
  const RunRecord record = info->run(*to_run, params, trace);
  const auto wall_us = std::chrono::duration_cast<std::chrono::microseconds>(
                           std::chrono::steady_clock::now() - wall_start)
                           .count();
  Overrides overrides = request.overrides;
  overrides.seed = scenario.seed;
  if (name != scenario.algorithm) overrides.algorithm = name;
  RunContext context{scenario.name.empty() ? scenario.file : scenario.name,
                     reproduce_command(scenario.file, overrides), wall_us, params};
  return run_result_json(record, check_options(*to_run, *info, params), context);
}

}  // namespace electsim
