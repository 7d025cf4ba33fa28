// `electsim shrink`: from a failing seed, a smaller standalone scenario that
// fails the same check (see shrink.hpp). Prints what each step removed; the
// scenario goes to --out (written whole) or, without it, to stdout with the
// steps on stderr. Exit 1: the shrunk scenario is a finding that fails.
#include <fmt/format.h>

#include <iostream>

#include "cli/cli_error.hpp"
#include "cli/commands.hpp"
#include "cli/output_file.hpp"
#include "cli/shrink.hpp"

namespace electsim {

namespace po = boost::program_options;

int command_shrink(const Args& args) {
  std::string scenario_file, out_file;
  ScenarioOptions scenario_options;
  po::options_description options("shrink options");
  scenario_options.add_to(options, true);
  options.add_options()("out", po::value(&out_file), "write the minimal scenario to MINIMAL.json");
  options.add_options()("scenario", po::value(&scenario_file), "scenario file");
  po::positional_options_description positional;
  positional.add("scenario", 1);
  po::variables_map vm;
  if (parse_command("shrink", "electsim shrink SCENARIO.json --seed N [--out MINIMAL.json]", args,
                    options, positional, vm))
    return 0;
  if (scenario_file.empty())
    throw InputError("electsim shrink", "missing SCENARIO.json (see electsim shrink --help)");
  if (scenario_options.seed.empty())
    throw InputError("--seed", "missing (the failing seed to shrink)");
  const Overrides overrides = scenario_options.overrides();
  const Scenario scenario = load_scenario_file(scenario_file, overrides);
  nlohmann::json document = scenario.effective;
  document["seed"] = scenario.seed;

  ShrinkOutcome outcome;
  try {
    outcome = shrink_scenario(document, scenario_file);
  } catch (const InputError& e) {
    throw FileError(scenario_file, e);
  }
  nlohmann::json& minimal = outcome.scenario;
  const std::string name = scenario.name.empty() ? "scenario" : scenario.name;
  minimal["name"] = name + "-shrunk";
  std::string verdict;
  for (const std::string& check : outcome.signature.checks)
    verdict += (verdict.empty() ? "" : ", ") + check;
  minimal["description"] = fmt::format(
      "Shrunk by electsim shrink from {} at seed {} ({} steps, {} candidate runs): fails {}. "
      "Expected verdict: FAIL ({})",
      scenario_file, scenario.seed, outcome.steps.size(), outcome.runs,
      outcome.signature.describe(), verdict);

  std::string report;
  for (const std::string& step : outcome.steps) report += "shrink: " + step + "\n";
  report += fmt::format("shrink: {} steps, {} candidate runs; the result fails {} (trace {})\n",
                        outcome.steps.size(), outcome.runs, outcome.signature.describe(),
                        outcome.result["trace_hash"].get<std::string>());
  const std::string text = minimal.dump(2) + "\n";
  if (!out_file.empty()) {
    OutputFile out(out_file, "--out");
    out.write(text);
    out.commit();
    std::cout << report << "wrote " << out_file << "\n";
  } else {
    std::cerr << report;
    std::cout << text;
  }
  return 1;
}

}  // namespace electsim
