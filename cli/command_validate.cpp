// `electsim validate` and `electsim list`: check scenario files without
// running them, and show the algorithms with their parameters and defaults.
#include <fmt/format.h>

#include <iostream>

#include "algorithms/registry.hpp"
#include "cli/commands.hpp"

namespace electsim {

namespace po = boost::program_options;

int command_validate(const Args& args) {
  std::vector<std::string> files;
  po::options_description options("validate options");
  options.add_options()("scenario", po::value(&files), "scenario files");
  po::positional_options_description positional;
  positional.add("scenario", -1);
  po::variables_map vm;
  if (parse_command("validate", "electsim validate SCENARIO.json...", args, options, positional,
                    vm))
    return 0;
  if (files.empty())
    throw InputError("electsim validate", "missing SCENARIO.json (see electsim validate --help)");
  std::string report;
  for (const std::string& file : files) {  // all are checked before anything is printed
    const Scenario s = load_scenario_file(file, {});
    report += fmt::format("ok: {} ({}, {} nodes, {} simulated, {} fault entr{}{})\n", file,
                          s.algorithm, s.nodes, format_time(s.duration), s.faults.size(),
                          s.faults.size() == 1 ? "y" : "ies", s.nemesis ? ", nemesis" : "");
  }
  std::cout << report;
  return 0;
}

namespace {
std::string kind_name(ParamSpec::Kind kind) {
  switch (kind) {
    case ParamSpec::Kind::time:
      return "time";
    case ParamSpec::Kind::time_range:
      return "[min, max] times";
    case ParamSpec::Kind::boolean:
      return "boolean";
    case ParamSpec::Kind::number:
      return "number";
    case ParamSpec::Kind::integer:
      return "integer";
    case ParamSpec::Kind::custom:
      return "object";
  }
  return "?";
}
}  // namespace

int command_list(const Args& args) {
  std::string format = "text";
  po::options_description options("list options");
  options.add_options()("format", po::value(&format), "text (default) or json");
  po::variables_map vm;
  if (parse_command("list", "electsim list [--format json]", args, options, {}, vm)) return 0;
  if (format != "text" && format != "json")
    throw InputError("--format", "expected text or json, got \"" + format + "\"");
  nlohmann::json out = nlohmann::json::array();
  std::string text;
  for (const AlgorithmInfo& info : registry().all()) {
    nlohmann::json params = nlohmann::json::array();
    text += fmt::format("{}: {}\n", info.name, info.summary);
    for (const ParamSpec& p : info.params) {
      params.push_back({{"name", p.name},
                        {"kind", kind_name(p.kind)},
                        {"default", p.default_value},
                        {"doc", p.doc}});
      text += fmt::format("  {:<24} {:<17} default {:<20} {}\n", p.name, kind_name(p.kind),
                          p.default_value.dump(), p.doc);
    }
    out.push_back({{"name", info.name}, {"summary", info.summary}, {"params", params}});
    text += "\n";
  }
  std::cout << (format == "json" ? out.dump(2) + "\n" : text);
  return 0;
}

}  // namespace electsim
