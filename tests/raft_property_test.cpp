// Raft under random faults: crashes, restarts and partitions drawn from each
// seed (the scenario's nemesis). Election safety must hold on every seed, and
// once the faults stop and the whole cluster is connected again a leader must
// emerge within the liveness window. The persist_state=false mutant must be
// caught within a bounded range of seeds.
#include <catch2/catch.hpp>

#include "analysis/result.hpp"
#include "tests/test_support.hpp"

using namespace electsim;
using namespace electsim::testing;

namespace {

const char* const kNemesisScenario = R"({
  "name": "raft-nemesis",
  "algorithm": "raft",
  "nodes": 5,
  "duration": "30s",
  "network": { "delay": { "distribution": "exponential", "mean": "4ms", "min": "1ms" }, "loss": 0.02 },
  "nemesis": { "crash_rate_per_s": 1.0, "down_time": ["100ms", "2s"],
               "partition_rate_per_s": 0.5, "heal_after": ["200ms", "3s"], "until": "12s" },
  "checks": { "liveness": { "within": "10s" } }
})";

struct Tally {
  int runs = 0, safety_failures = 0, liveness_failures = 0, not_applicable = 0, faults = 0,
      elections = 0;
  std::uint64_t first_failing_seed = 0;
};

Tally sweep(std::uint64_t first, std::uint64_t last, const std::vector<std::string>& sets) {
  Tally tally;
  for (std::uint64_t seed = first; seed <= last; ++seed) {
    Overrides overrides;
    overrides.seed = seed;
    overrides.sets = sets;
    const nlohmann::json r = run_text(kNemesisScenario, overrides);
    ++tally.runs;
    tally.faults += r["faults"]["fired"].get<int>();
    tally.elections += static_cast<int>(r["leaders"].size());
    if (!r["safety"]["ok"].get<bool>()) {
      if (tally.safety_failures++ == 0) tally.first_failing_seed = seed;
    }
    if (!r["liveness"]["ok"].get<bool>()) ++tally.liveness_failures;
    if (!r["liveness"]["applicable"].get<bool>()) ++tally.not_applicable;
  }
  return tally;
}

}  // namespace

TEST_CASE("Raft keeps election safety and recovers under 300 seeds of random faults",
          "[raft][property]") {
  const Tally tally = sweep(1, 300, {});
  CHECK(tally.safety_failures == 0);
  CHECK(tally.liveness_failures == 0);
  CHECK(tally.not_applicable ==
        0);  // every drawn fault is undone before 15s: the whole cluster is live at t0
  // The faults really happened: about 12 crashes and 6 partitions per run, each undone.
  CHECK(tally.faults > 300 * 20);
  CHECK(tally.elections > 300 * 5);
}

TEST_CASE("Raft with prevote and check_quorum keeps safety and liveness under random faults",
          "[raft][property]") {
  const Tally tally = sweep(1, 150, {"params.prevote=true", "params.check_quorum=true"});
  CHECK(tally.safety_failures == 0);
  CHECK(tally.liveness_failures == 0);
  CHECK(tally.not_applicable == 0);
}

TEST_CASE("The persist_state=false mutant is caught by election safety within 300 seeds",
          "[raft][property][mutant]") {
  const Tally tally = sweep(1, 300, {"params.persist_state=false"});
  INFO("first failing seed " << tally.first_failing_seed);
  CHECK(tally.safety_failures > 0);
  // And the catch is reproducible: the same seed fails the same way again.
  Overrides overrides;
  overrides.seed = tally.first_failing_seed;
  overrides.sets = {"params.persist_state=false"};
  const nlohmann::json again = run_text(kNemesisScenario, overrides);
  CHECK_FALSE(again["safety"]["ok"].get<bool>());
  CHECK(again["safety"]["violations"][0]["kind"] == "election_safety");
}
