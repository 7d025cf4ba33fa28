// Option parsing shared by the subcommands; see commands.hpp.
#include <iostream>

#include "algorithms/registry.hpp"
#include "cli/cli_error.hpp"
#include "cli/commands.hpp"

namespace electsim {

namespace po = boost::program_options;

void ScenarioOptions::add_to(po::options_description& options, bool with_seed) {
  if (with_seed)
    options.add_options()("seed", po::value(&seed), "seed (0 to 2^64-1); default: the scenario's");
  options.add_options()("algorithm", po::value(&algorithm),
                        "run this algorithm instead of the scenario's")(
      "nodes", po::value(&nodes), "number of nodes (1 to 100000)")(
      "duration", po::value(&duration), "simulated duration, such as 30s")(
      "set", po::value(&sets),
      "override a scenario field: PATH=VALUE (VALUE is JSON, else a string); repeatable");
}

Overrides ScenarioOptions::overrides() const {
  Overrides o;
  if (!seed.empty()) o.seed = parse_u64(seed, "--seed");
  if (!nodes.empty()) o.nodes = parse_u64(nodes, "--nodes");
  if (!duration.empty()) o.duration = duration;
  if (!algorithm.empty()) o.algorithm = algorithm;
  o.sets = sets;
  return o;
}

bool parse_command(const std::string& command, const std::string& usage, const Args& args,
                   const po::options_description& options,
                   const po::positional_options_description& positional, po::variables_map& vm) {
  po::options_description all = options;
  all.add_options()("help,h", "show this help");
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw InputError("electsim " + command,
                     std::string(e.what()) + " (see electsim " + command + " --help)");
  }
  if (vm.count("help")) {
    std::cout << "usage: " << usage << "\n\n" << all << "\n";
    return true;
  }
  return false;
}

Scenario load_scenario_file(const std::string& file, const Overrides& overrides) {
  try {
    return load_scenario(file, overrides, registry());
  } catch (const InputError& e) {
    throw FileError(file, e);
  }
}

}  // namespace electsim
