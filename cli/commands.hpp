// The subcommands of `electsim`. Each takes its arguments (after the command
// name), writes its output and returns the exit code (DESIGN.md: 0 pass, 1 a
// check failed); errors are thrown (InputError, FileError: 2; InternalError: 3).
#pragma once

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/errors.hpp"
#include "sim/scenario.hpp"

namespace electsim {

using Args = std::vector<std::string>;

int command_run(const Args& args);
int command_sweep(const Args& args);
int command_validate(const Args& args);
int command_list(const Args& args);
int command_merge(const Args& args);
int command_shrink(const Args& args);
int command_compare(const Args& args);

// The text form of a sweep summary (sweep, merge).
std::string sweep_summary_text(const nlohmann::json& summary, const std::string& scenario);

// Shared by the commands that load a scenario.
struct ScenarioOptions {
  std::string seed, nodes, duration, algorithm;
  std::vector<std::string> sets;
  void add_to(boost::program_options::options_description& options, bool with_seed);
  Overrides overrides() const;
};

// Parses `args` for `command`; prints help and returns true if --help was given.
bool parse_command(const std::string& command, const std::string& usage, const Args& args,
                   const boost::program_options::options_description& options,
                   const boost::program_options::positional_options_description& positional,
                   boost::program_options::variables_map& vm);

// Loads a scenario, turning an InputError into a FileError naming the file.
Scenario load_scenario_file(const std::string& file, const Overrides& overrides);

}  // namespace electsim
