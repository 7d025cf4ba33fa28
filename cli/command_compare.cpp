// `electsim compare`: the same scenario and seeds for several algorithms.
// Faults and network delays come from their own PRNG streams, so every
// algorithm meets the same fault times and the same link draws; only the
// algorithm changes (a fault aimed at "leader" picks whoever leads in that
// algorithm's run). Parameters per algorithm come from params_by_algorithm.
#include <fmt/format.h>

#include <iostream>
#include <sstream>
#include <thread>

#include "algorithms/registry.hpp"
#include "analysis/comparison.hpp"
#include "cli/cli_error.hpp"
#include "cli/commands.hpp"
#include "cli/output_file.hpp"
#include "cli/seed_runner.hpp"

namespace electsim {

namespace po = boost::program_options;

int command_compare(const Args& args) {
  std::string scenario_file, algorithms_text, seeds_text, format = "text", chart_file, jobs_text;
  ScenarioOptions scenario_options;
  po::options_description options("compare options");
  options.add_options()("algorithms", po::value(&algorithms_text),
                        "comma-separated algorithms, such as bully,raft,paxos,zab (required)")(
      "seeds", po::value(&seeds_text), "seed range A..B, inclusive (default: the scenario's seed)")(
      "jobs", po::value(&jobs_text), "threads (default: the machine's cores)")(
      "format", po::value(&format), "text (default), json or csv")(
      "chart", po::value(&chart_file),
      "write a bar chart of messages per election and downtime to FILE.svg");
  scenario_options.add_to(options, false);
  options.add_options()("scenario", po::value(&scenario_file), "scenario file");
  po::positional_options_description positional;
  positional.add("scenario", 1);
  po::variables_map vm;
  if (parse_command("compare",
                    "electsim compare SCENARIO.json --algorithms a,b,... [--seeds A..B] [options]",
                    args, options, positional, vm))
    return 0;
  if (scenario_file.empty())
    throw InputError("electsim compare", "missing SCENARIO.json (see electsim compare --help)");
  if (algorithms_text.empty())
    throw InputError("--algorithms", "missing (such as bully,raft,paxos,zab)");
  if (format != "text" && format != "json" && format != "csv")
    throw InputError("--format", "expected text, json or csv, got \"" + format + "\"");
  std::vector<std::string> algorithms;
  std::stringstream list(algorithms_text);
  for (std::string name; std::getline(list, name, ',');) {
    if (name.empty()) throw InputError("--algorithms", "empty name in \"" + algorithms_text + "\"");
    if (std::find(algorithms.begin(), algorithms.end(), name) != algorithms.end())
      throw InputError("--algorithms", "\"" + name + "\" is listed twice");
    if (!registry().algorithm(name)) {
      std::string known;
      for (const std::string& k : registry().names()) known += (known.empty() ? "" : ", ") + k;
      throw InputError("--algorithms",
                       fmt::format("unknown algorithm \"{}\" (expected one of: {})", name, known));
    }
    algorithms.push_back(name);
  }
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  if (!jobs_text.empty()) {
    const std::uint64_t value = parse_u64(jobs_text, "--jobs");
    if (value < 1 || value > 1024)
      throw InputError("--jobs", "expected 1 to 1024, got " + jobs_text);
    jobs = static_cast<unsigned>(value);
  }

  const Overrides overrides = scenario_options.overrides();
  const Scenario scenario = load_scenario_file(scenario_file, overrides);
  for (const std::string& name :
       algorithms) {  // params_by_algorithm is checked before anything runs
    try {
      scenario.params_for(name, registry());
    } catch (const InputError& e) {
      throw FileError(scenario_file, e);
    }
  }
  std::vector<std::uint64_t> seeds;
  if (seeds_text.empty()) {
    seeds.push_back(scenario.seed);
  } else {
    const auto [first, last] = parse_seed_range(seeds_text, "--seeds");
    if (last - first >= 10'000'000)
      throw InputError("--seeds", "at most 10000000 seeds per algorithm");
    for (std::uint64_t seed = first;; ++seed) {
      seeds.push_back(seed);
      if (seed == last) break;
    }
  }
  std::unique_ptr<OutputFile> chart;
  if (!chart_file.empty()) chart = std::make_unique<OutputFile>(chart_file, "--chart");

  InterruptGuard guard;
  Progress progress(seeds.size() * algorithms.size());
  nlohmann::json rows = nlohmann::json::array();
  std::size_t consumed = 0, failed = 0;
  for (const std::string& name : algorithms) {
    AlgorithmComparison comparison(name);
    const std::size_t done =
        run_seeds(SeedJob{&scenario, name, overrides, seeds, jobs}, [&](nlohmann::json&& result) {
          comparison.add(result);
          ++consumed;
          progress.update(consumed, failed + comparison.failed());
        });
    failed += comparison.failed();
    if (done < seeds.size()) {
      std::fprintf(stderr, "interrupted: %zu of %zu runs finished; nothing written\n", consumed,
                   seeds.size() * algorithms.size());
      return 130;
    }
    rows.push_back(comparison.to_json());
  }
  const nlohmann::json result = {
      {"scenario", scenario.name.empty() ? scenario_file : scenario.name},
      {"seeds", {seeds.front(), seeds.back()}},
      {"algorithms", rows}};
  if (chart) {
    chart->write(comparison_chart_svg(
        result, fmt::format("{}: {} seed{} per algorithm", result["scenario"].get<std::string>(),
                            seeds.size(), seeds.size() == 1 ? "" : "s")));
    chart->commit();
  }
  if (format == "json")
    std::cout << result.dump() << "\n";
  else if (format == "csv")
    std::cout << comparison_csv(result);
  else
    std::cout << comparison_text(result, result["scenario"].get<std::string>());
  return failed ? 1 : 0;
}

}  // namespace electsim
