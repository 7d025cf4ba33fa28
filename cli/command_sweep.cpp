// `electsim sweep`: one scenario over a range of seeds, on N threads. Each run
// is single-threaded and deterministic, and results are consumed in seed
// order, so the summary and the --out file are the same for every --jobs.
// --out gets one complete, flushed line per finished run; on SIGINT/SIGTERM
// the sweep stops taking seeds, finishes the runs under way, writes what it
// has and says how far it got (exit 130).
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "analysis/result.hpp"
#include "analysis/sweep_stats.hpp"
#include "cli/cli_error.hpp"
#include "cli/commands.hpp"
#include "cli/output_file.hpp"
#include "cli/runner.hpp"
#include "cli/seed_runner.hpp"

namespace electsim {

namespace po = boost::program_options;

namespace {

struct SweepPlan {
  std::vector<std::uint64_t> seeds;
  unsigned jobs = 1;
};

std::pair<std::uint64_t, std::uint64_t> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) throw InputError("--shard", "expected I/N, got \"" + text + "\"");
  const std::uint64_t index = parse_u64(text.substr(0, slash), "--shard");
  const std::uint64_t count = parse_u64(text.substr(slash + 1), "--shard");
  if (count == 0 || index >= count)
    throw InputError("--shard", "expected 0 <= I < N, got \"" + text + "\"");
  return {index, count};
}

}  // namespace

std::string sweep_summary_text(const nlohmann::json& s, const std::string& scenario) {
  std::string out = fmt::format("{}: {} runs, {} failed{}\n", scenario,
                                s["runs"].get<std::size_t>(), s["failed"].get<std::size_t>(),
                                s["failed"].get<std::size_t>() ? "" : " (all checks held)");
  if (!s["failures"].empty()) {
    out += "\nfailures:\n";
    std::size_t shown = 0;
    for (const auto& f : s["failures"]) {
      if (++shown > 50) {
        out += fmt::format("  ... {} more (see --format json)\n", s["failures"].size() - 50);
        break;
      }
      out += fmt::format(
          "  seed {:<8} {:<18} {}\n", f["seed"].get<std::uint64_t>(),
          fmt::format("{}", fmt::join(f["checks"].get<std::vector<std::string>>(), ",")),
          f["reproduce"].get<std::string>());
    }
  }
  out += fmt::format("\n{:<16} {:>7} {:>14} {:>14} {:>14} {:>14} {:>14}\n", "metric", "count",
                     "mean", "p50", "p90", "p99", "max");
  for (const auto& [metric, st] : s["stats"].items()) {
    auto cell = [&](const char* key) {
      return st[key].is_null() ? std::string("-") : fmt::format("{:.6g}", st[key].get<double>());
    };
    out += fmt::format("{:<16} {:>7} {:>14} {:>14} {:>14} {:>14} {:>14}\n", metric,
                       st["count"].get<std::size_t>(), cell("mean"), cell("p50"), cell("p90"),
                       cell("p99"), cell("max"));
  }
  if (s["downtime_unrecovered"].get<std::size_t>() > 0)
    out +=
        fmt::format("{} failover(s) where no other node became leader before the end of the run\n",
                    s["downtime_unrecovered"].get<std::size_t>());
  return out;
}

namespace {

// Splits "a,b,[1,2]" at the commas that are not inside brackets, braces or quotes.
std::vector<std::string> split_top_level(const std::string& text) {
  std::vector<std::string> parts(1);
  int depth = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (!quoted && (c == '[' || c == '{')) ++depth;
    if (!quoted && (c == ']' || c == '}')) --depth;
    if (c == ',' && depth == 0 && !quoted)
      parts.emplace_back();
    else
      parts.back() += c;
  }
  return parts;
}

// Every combination of --grid values, the first --grid varying slowest; each
// combination is a list of extra --set assignments.
std::vector<std::vector<std::string>> grid_combinations(const std::vector<std::string>& grids) {
  std::vector<std::vector<std::string>> combinations{{}};
  for (const std::string& grid : grids) {
    const auto eq = grid.find('=');
    if (eq == std::string::npos || eq == 0)
      throw InputError("--grid " + grid,
                       "expected PATH=V1,V2,..., such as params.heartbeat=25ms,50ms");
    const std::string path = grid.substr(0, eq);
    const std::vector<std::string> values = split_top_level(grid.substr(eq + 1));
    for (const std::string& value : values)
      if (value.empty()) throw InputError("--grid " + grid, "empty value in the list");
    std::vector<std::vector<std::string>> next;
    for (const auto& combination : combinations)
      for (const std::string& value : values) {
        next.push_back(combination);
        next.back().push_back(path + "=" + value);
      }
    combinations = std::move(next);
  }
  return combinations;
}

std::string grid_text(const nlohmann::json& rows) {
  auto label = [](const nlohmann::json& row) {
    return fmt::format("{}", fmt::join(row["sets"].get<std::vector<std::string>>(), " "));
  };
  std::size_t width = 11;
  for (const nlohmann::json& row : rows) width = std::max(width, label(row).size());
  std::string out =
      fmt::format("{:<{}} {:>6} {:>6} {:>14} {:>14} {:>12} {:>8}\n", "combination", width, "runs",
                  "failed", "first_leader", "downtime_p50", "messages", "changes");
  for (const nlohmann::json& row : rows) {
    auto stat = [&](const char* metric, const char* key) {
      const nlohmann::json& v = row["stats"][metric][key];
      return v.is_null() ? std::string("-") : fmt::format("{:.6g}", v.get<double>());
    };
    out += fmt::format("{:<{}} {:>6} {:>6} {:>14} {:>14} {:>12} {:>8}\n", label(row), width,
                       row["runs"].get<std::size_t>(), row["failed"].get<std::size_t>(),
                       stat("first_leader_us", "p50"), stat("downtime_us", "p50"),
                       stat("messages_sent", "mean"), stat("leader_changes", "mean"));
  }
  out +=
      "(times in microseconds; first_leader and downtime are medians, messages and changes means "
      "per run)\n";
  return out;
}

}  // namespace

int command_sweep(const Args& args) {
  std::string scenario_file, seeds_text, shard_text, format = "text", out_file, jobs_text;
  std::vector<std::string> grids;
  ScenarioOptions scenario_options;
  po::options_description options("sweep options");
  options.add_options()("seeds", po::value(&seeds_text), "seed range A..B, inclusive (required)")(
      "jobs", po::value(&jobs_text), "threads (default: the machine's cores)")(
      "shard", po::value(&shard_text), "run the I-th of N disjoint slices of the seeds: I/N")(
      "format", po::value(&format), "text (default) or json")(
      "out", po::value(&out_file),
      "write one JSON line per finished run to FILE.jsonl, in seed order")(
      "grid", po::value(&grids),
      "PATH=V1,V2,...: sweep every combination of these values (repeatable), one summary row each");
  scenario_options.add_to(options, false);
  options.add_options()("scenario", po::value(&scenario_file), "scenario file");
  po::positional_options_description positional;
  positional.add("scenario", 1);
  po::variables_map vm;
  if (parse_command("sweep", "electsim sweep SCENARIO.json --seeds A..B [options]", args, options,
                    positional, vm))
    return 0;
  if (scenario_file.empty())
    throw InputError("electsim sweep", "missing SCENARIO.json (see electsim sweep --help)");
  if (seeds_text.empty()) throw InputError("--seeds", "missing (a seed range such as 1..1000)");
  if (format != "text" && format != "json")
    throw InputError("--format", "expected text or json, got \"" + format + "\"");
  const auto [first, last] = parse_seed_range(seeds_text, "--seeds");
  if (last - first >= 100'000'000)
    throw InputError("--seeds", "at most 100000000 seeds in one sweep; use --shard");
  SweepPlan plan;
  plan.jobs = std::max(1u, std::thread::hardware_concurrency());
  if (!jobs_text.empty()) {
    const std::uint64_t jobs = parse_u64(jobs_text, "--jobs");
    if (jobs < 1 || jobs > 1024) throw InputError("--jobs", "expected 1 to 1024, got " + jobs_text);
    plan.jobs = static_cast<unsigned>(jobs);
  }
  std::uint64_t shard_index = 0, shard_count = 1;
  if (!shard_text.empty()) std::tie(shard_index, shard_count) = parse_shard(shard_text);
  for (std::uint64_t seed = first;; ++seed) {
    if ((seed - first) % shard_count == shard_index) plan.seeds.push_back(seed);
    if (seed == last) break;
  }

  // Validate every combination before running any.
  const Overrides base_overrides = scenario_options.overrides();
  std::vector<std::pair<Overrides, Scenario>> runs;
  for (const std::vector<std::string>& combination : grid_combinations(grids)) {
    Overrides overrides = base_overrides;
    overrides.sets.insert(overrides.sets.end(), combination.begin(), combination.end());
    runs.emplace_back(overrides, load_scenario_file(scenario_file, overrides));
  }
  std::unique_ptr<OutputFile> out;
  if (!out_file.empty()) out = std::make_unique<OutputFile>(out_file, "--out", /*streamed=*/true);

  InterruptGuard guard;
  Progress progress(plan.seeds.size() * runs.size());
  nlohmann::json rows = nlohmann::json::array();
  std::size_t consumed = 0, failed = 0;
  bool interrupted = false;
  for (std::size_t i = 0; i < runs.size() && !interrupted; ++i) {
    const auto& [overrides, scenario] = runs[i];
    SweepSummary summary;
    const std::size_t done = run_seeds(SeedJob{&scenario, "", overrides, plan.seeds, plan.jobs},
                                       [&](nlohmann::json&& result) {
                                         if (out) out->write(result.dump() + "\n", /*flush=*/true);
                                         summary.add(result);
                                         ++consumed;
                                         progress.update(consumed, failed + summary.failed());
                                       });
    nlohmann::json row = summary.to_json();
    failed += summary.failed();
    interrupted = done < plan.seeds.size();
    if (!grids.empty()) {
      std::vector<std::string> sets(
          overrides.sets.begin() + static_cast<long>(base_overrides.sets.size()),
          overrides.sets.end());
      row["sets"] = sets;
    }
    if (interrupted) {
      row["interrupted"] = true;
      row["completed_through_seed"] =
          done ? nlohmann::json(plan.seeds[done - 1]) : nlohmann::json(nullptr);
    }
    rows.push_back(row);
  }
  if (out) out->commit();

  if (interrupted) {
    const nlohmann::json& last_row = rows.back();
    std::fprintf(stderr, "interrupted: %zu of %zu runs finished%s\n", consumed,
                 plan.seeds.size() * runs.size(),
                 last_row["completed_through_seed"].is_null()
                     ? ""
                     : fmt::format(", every seed through {} of the last combination is complete",
                                   last_row["completed_through_seed"].get<std::uint64_t>())
                           .c_str());
  }
  const std::string name =
      runs.front().second.name.empty() ? scenario_file : runs.front().second.name;
  if (grids.empty()) {
    if (format == "json")
      std::cout << rows[0].dump() << "\n";
    else
      std::cout << sweep_summary_text(rows[0], name);
  } else {
    if (format == "json")
      std::cout << nlohmann::json{{"scenario", name}, {"grid", rows}}.dump() << "\n";
    else
      std::cout << name << ": " << runs.size() << " combinations x " << plan.seeds.size()
                << " seeds\n\n"
                << grid_text(rows);
  }
  if (interrupted) return 130;
  return failed ? 1 : 0;
}

}  // namespace electsim
