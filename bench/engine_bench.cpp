// In-process benchmarks of the simulator (Google Benchmark): events per
// second for workload W1 (../shared/bench/w1.json: 5 Raft nodes, the leader
// crashes every 2s for 1s, one simulated hour) and for a short nemesis run, the
// shape of a sweep. Run: build with -DELECTSIM_BENCH=ON, then
//   ./build/bench/electsim_bench --benchmark_repetitions=5
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

#include "algorithms/registry.hpp"
#include "cli/runner.hpp"

using namespace electsim;

namespace {

Scenario load(const std::string& path, Overrides overrides = {}) {
  return load_scenario(path, overrides, registry());
}

void run_and_count(benchmark::State& state, const Scenario& scenario) {
  std::uint64_t events = 0, messages = 0;
  for (auto _ : state) {
    const nlohmann::json result = run_scenario(RunRequest{&scenario, "", nullptr, {}});
    events += result["events"].get<std::uint64_t>();
    messages += result["messages"]["sent"].get<std::uint64_t>();
  }
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["messages_per_s"] =
      benchmark::Counter(static_cast<double>(messages), benchmark::Counter::kIsRate);
}

void BM_W1(benchmark::State& state) {
  const std::string path = std::string(ELECTSIM_SOURCE_DIR) + "/../shared/bench/w1.json";
  if (!std::ifstream(path)) {
    state.SkipWithError("../shared/bench/w1.json not found beside the repository");
    return;
  }
  run_and_count(state, load(path));
}
BENCHMARK(BM_W1)->Unit(benchmark::kMillisecond);

// A 5-node, 10-second Raft run with a nemesis: one run of a typical sweep.
void BM_NemesisRun(benchmark::State& state) {
  Overrides overrides;
  overrides.duration = "10s";
  overrides.sets = {R"(nemesis={"crash_rate_per_s":1,"partition_rate_per_s":0.5,"until":"6s"})"};
  const Scenario scenario =
      load(std::string(ELECTSIM_SOURCE_DIR) + "/scenarios/raft-clean-start.json", overrides);
  run_and_count(state, scenario);
  state.counters["runs_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_NemesisRun)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
