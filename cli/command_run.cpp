// `electsim run`: one scenario, one seed; a verdict for a person (text) or
// for a script (json), an optional JSONL trace, and exit 1 if a check failed.
#include <iostream>
#include <optional>

#include "analysis/result.hpp"
#include "analysis/timeline.hpp"
#include "cli/commands.hpp"
#include "cli/output_file.hpp"
#include "cli/runner.hpp"

namespace electsim {

namespace po = boost::program_options;

namespace {

std::pair<Time, Time> parse_window(const std::string& text) {
  const auto dots = text.find("..");
  Time from = 0, to = 0;
  std::string why;
  if (dots == std::string::npos || !parse_time_text(text.substr(0, dots), from, why) ||
      !parse_time_text(text.substr(dots + 2), to, why))
    throw InputError("--window", "expected A..B with times, such as 4s..6s, got \"" + text + "\"");
  if (from >= to) throw InputError("--window", "A must be before B in \"" + text + "\"");
  return {from, to};
}

std::string read_all(std::FILE* file) {
  std::string text;
  std::rewind(file);
  char buffer[1 << 16];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) text.append(buffer, n);
  return text;
}

}  // namespace

int command_run(const Args& args) {
  std::string scenario_file, format = "text", trace_file, timeline_file, window_text;
  ScenarioOptions scenario_options;
  po::options_description options("run options");
  scenario_options.add_to(options, true);
  options.add_options()("format", po::value(&format), "text (default) or json")(
      "trace", po::value(&trace_file), "write every event to FILE.jsonl")(
      "timeline", po::value(&timeline_file), "draw the run as a space-time diagram in FILE.svg")(
      "window", po::value(&window_text), "with --timeline: only the interval A..B, such as 4s..6s");
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

  TimelineOptions timeline;
  if (!window_text.empty()) {
    if (timeline_file.empty()) throw InputError("--window", "only with --timeline");
    std::tie(timeline.from, timeline.to) = parse_window(window_text);
  }

  const Overrides overrides = scenario_options.overrides();
  const Scenario scenario = load_scenario_file(scenario_file, overrides);
  std::optional<OutputFile> trace, picture;
  if (!trace_file.empty()) trace.emplace(trace_file, "--trace");
  if (!timeline_file.empty()) picture.emplace(timeline_file, "--timeline");
  // The timeline is drawn from the trace: without --trace, a scratch file.
  std::FILE* scratch = trace || !picture ? nullptr : std::tmpfile();
  std::FILE* trace_out = trace ? trace->get() : scratch;

  const nlohmann::json result = run_scenario(RunRequest{&scenario, "", trace_out, overrides});
  if (picture) {
    std::fflush(trace_out);
    picture->write(timeline_svg(read_all(trace_out), result, timeline));
    picture->commit();
  }
  if (scratch) std::fclose(scratch);
  if (trace) trace->commit();
  if (format == "json")
    std::cout << result.dump() << "\n";
  else
    std::cout << run_result_text(result);
  return failed_checks(result).empty() ? 0 : 1;
}

}  // namespace electsim
