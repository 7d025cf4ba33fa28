// Determinism (DESIGN.md): the same binary, scenario and seed give the same
// trace, event for event, and the same trace hash; another seed gives another.
#include <catch2/catch.hpp>

#include "tests/test_support.hpp"

using namespace electsim;
using namespace electsim::testing;

TEST_CASE("the same seed gives the same trace file and hash, another seed another",
          "[determinism]") {
  const std::string dir = temporary_directory();
  const std::string scenario = source_path("scenarios/raft-lossy-network.json");
  const auto first =
      run_electsim({"run", scenario, "--format", "json", "--trace", dir + "/a.jsonl"});
  const auto second =
      run_electsim({"run", scenario, "--format", "json", "--trace", dir + "/b.jsonl"});
  const auto other = run_electsim(
      {"run", scenario, "--format", "json", "--seed", "8", "--trace", dir + "/c.jsonl"});
  REQUIRE(first.exit_code == 0);
  REQUIRE(second.exit_code == 0);
  const auto a = nlohmann::json::parse(first.out), b = nlohmann::json::parse(second.out),
             c = nlohmann::json::parse(other.out);
  CHECK(a["trace_hash"] == b["trace_hash"]);
  CHECK(a["trace_hash"] != c["trace_hash"]);
  const std::string trace_a = read_text_file(dir + "/a.jsonl");
  CHECK(trace_a.size() > 10000);
  CHECK(trace_a == read_text_file(dir + "/b.jsonl"));
  CHECK(trace_a != read_text_file(dir + "/c.jsonl"));
  // Writing a trace does not change the run: the hash is the same without one.
  const auto untraced = run_electsim({"run", scenario, "--format", "json"});
  CHECK(nlohmann::json::parse(untraced.out)["trace_hash"] == a["trace_hash"]);
}

TEST_CASE("trace hashes are pinned for shipped scenarios", "[determinism]") {
  // A change here means every saved seed replays differently: bump the version
  // and say so in the changelog, or find the accidental change.
  CHECK(run_file("scenarios/raft-clean-start.json")["trace_hash"] == "0x1f5cd61f3972e2d8");
  CHECK(run_file("scenarios/raft-lossy-network.json")["trace_hash"] == "0xee9b7acf7f3bee54");
}

TEST_CASE("a sweep gives the same summary for --jobs 1 and --jobs 2", "[determinism][sweep]") {
  const std::string scenario = source_path("scenarios/raft-persist-state-mutant.json");
  const auto one =
      run_electsim({"sweep", scenario, "--seeds", "1..40", "--jobs", "1", "--format", "json"});
  const auto two =
      run_electsim({"sweep", scenario, "--seeds", "1..40", "--jobs", "2", "--format", "json"});
  REQUIRE(one.exit_code == 1);
  REQUIRE(two.exit_code == 1);
  auto a = nlohmann::json::parse(one.out), b = nlohmann::json::parse(two.out);
  a.erase("wall_us_total");
  b.erase("wall_us_total");
  CHECK(a == b);
  CHECK(a["runs"] == 40);
}
