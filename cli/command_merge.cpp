// `electsim merge`: the shards of one sweep (their --out files) back into the
// summary one sweep over the whole range would print. Everything is recomputed
// from the run lines, so the JSON equals a single sweep's except for the keys
// that hold wall-clock times.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <set>

#include "analysis/sweep_stats.hpp"
#include "cli/cli_error.hpp"
#include "cli/commands.hpp"

namespace electsim {

namespace po = boost::program_options;

int command_merge(const Args& args) {
  std::vector<std::string> files;
  std::string format = "text";
  po::options_description options("merge options");
  options.add_options()("format", po::value(&format), "text (default) or json");
  options.add_options()("files", po::value(&files), "shard files (sweep --out)");
  po::positional_options_description positional;
  positional.add("files", -1);
  po::variables_map vm;
  if (parse_command("merge", "electsim merge SHARD.jsonl... [--format text|json]", args, options,
                    positional, vm))
    return 0;
  if (files.empty())
    throw InputError("electsim merge", "missing SHARD.jsonl files (see electsim merge --help)");
  if (format != "text" && format != "json")
    throw InputError("--format", "expected text or json, got \"" + format + "\"");

  SweepSummary summary;
  std::set<std::uint64_t> seen;
  std::string scenario;
  for (const std::string& file : files) {
    std::ifstream in(file);
    if (!in) throw FileError(file, InputError("", "cannot read the file"));
    std::string line;
    for (std::size_t number = 1; std::getline(in, line); ++number) {
      if (line.empty()) continue;
      const nlohmann::json run = nlohmann::json::parse(line, nullptr, false);
      const std::string where = fmt::format("line {}", number);
      if (run.is_discarded() || !run.is_object() || !run.contains("seed") ||
          !run["seed"].is_number_unsigned())
        throw FileError(file, InputError(where, "not a run result line of electsim sweep --out"));
      if (!run.contains("error") &&
          (!run.contains("safety") || !run.contains("liveness") || !run.contains("messages")))
        throw FileError(file, InputError(where, "not a run result line of electsim sweep --out"));
      const std::uint64_t seed = run["seed"].get<std::uint64_t>();
      if (!seen.insert(seed).second)
        throw FileError(
            file, InputError(where, fmt::format("seed {} appears twice among the shards", seed)));
      if (scenario.empty() && run.contains("scenario"))
        scenario = run["scenario"].get<std::string>();
      summary.add(run);
    }
  }
  const nlohmann::json result = summary.to_json();
  if (format == "json")
    std::cout << result.dump() << "\n";
  else
    std::cout << sweep_summary_text(result, scenario.empty() ? "merged" : scenario);
  return summary.failed() ? 1 : 0;
}

}  // namespace electsim
