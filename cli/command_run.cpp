// `electsim run`: one scenario, one seed; a verdict for a person (text) or
// for a script (json), an optional JSONL trace, and exit 1 if a check failed.
#include <iostream>
#include <optional>

#include "analysis/result.hpp"
#include "cli/commands.hpp"
#include "cli/output_file.hpp"
#include "cli/runner.hpp"

namespace electsim {

namespace po = boost::program_options;

int command_run(const Args& args) {
  std::string scenario_file, format = "text", trace_file;
  ScenarioOptions scenario_options;
  po::options_description options("run options");
  scenario_options.add_to(options, true);
  options.add_options()("format", po::value(&format), "text (default) or json")(
      "trace", po::value(&trace_file), "write every event to FILE.jsonl");
  options.add_options()("scenario", po::value(&scenario_file), "scenario file");
  po::positional_options_description positional;
  positional.add("scenario", 1);
  po::variables_map vm;
  if (parse_command("run", "electsim run SCENARIO.json [options]", args, options, positional, vm))
    return 0;
  if (scenario_file.empty())
    throw InputError("electsim run", "missing SCENARIO.json (see electsim run --help)");
  if (format != "text" && format != "json")
    throw InputError("--format", "expected text or json, got \"" + format + "\"");

  const Overrides overrides = scenario_options.overrides();
  const Scenario scenario = load_scenario_file(scenario_file, overrides);
  std::optional<OutputFile> trace;
  if (!trace_file.empty()) trace.emplace(trace_file, "--trace");

  RunRequest request{&scenario, "", trace ? trace->get() : nullptr, overrides};
  const nlohmann::json result = run_scenario(request);
  if (trace) trace->commit();
  if (format == "json")
    std::cout << result.dump() << "\n";
  else
    std::cout << run_result_text(result);
  return failed_checks(result).empty() ? 0 : 1;
}

}  // namespace electsim
