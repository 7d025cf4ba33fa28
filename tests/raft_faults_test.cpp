// The fault scenarios for people who hunt stale leaders (pause, drift,
// jitter, swarm nemesis), and what each must show.
#include <catch2/catch.hpp>
#include <set>
#include <sstream>

#include "tests/test_support.hpp"

using namespace electsim;
using namespace electsim::testing;

TEST_CASE("a paused leader is deposed while frozen and steps down as soon as it resumes",
          "[raft][faults]") {
  const nlohmann::json r = run_file("scenarios/raft-paused-leader.json");
  CHECK(r["verdict"] == "pass");
  REQUIRE(r["leaders"].size() == 2);
  const nlohmann::json& stale = r["leaders"][0];
  const nlohmann::json& successor = r["leaders"][1];
  CHECK(stale["to_us"] == 5000000);  // the resume: it handles the higher term at once
  CHECK(successor["from_us"].get<long long>() > 3000000);
  CHECK(successor["from_us"].get<long long>() <
        3400000);  // an election timeout after the pause began
  CHECK(successor["term"].get<int>() > stale["term"].get<int>());
  CHECK(r["split_brain_us"] == 5000000 - successor["from_us"].get<long long>());
}

TEST_CASE("a leader whose clock slows below the election timeout is deposed", "[raft][faults]") {
  const nlohmann::json r = run_file("scenarios/raft-slow-clock-leader.json");
  CHECK(r["verdict"] == "pass");
  REQUIRE(r["leaders"].size() == 2);
  CHECK(r["leaders"][0]["node"] == 5);
  CHECK(r["leaders"][1]["node"] != 5);
  // Without the drift node 5 keeps leading.
  Overrides no_drift;
  no_drift.sets = {"faults.0.drift.rate=1"};
  CHECK(run_file("scenarios/raft-slow-clock-leader.json", no_drift)["leader_changes"] == 0);
}

TEST_CASE("jitter moves each firing by at most the jitter, the same way for every algorithm",
          "[raft][faults]") {
  const nlohmann::json r = run_file("scenarios/raft-jittered-crashes.json");
  CHECK(r["verdict"] == "pass");
  const auto& failovers = r["failovers"];
  REQUIRE(failovers.size() >= 8);
  std::set<long long> offsets;
  for (std::size_t k = 0; k < failovers.size(); ++k) {
    const long long at = failovers[k]["at_us"].get<long long>();
    const long long base = 2000000LL * (at / 2000000LL);
    CHECK(at - base <= 500000);
    offsets.insert(at - base);
  }
  CHECK(offsets.size() == failovers.size());  // really drawn, not constant
  // The fault times come from the fault stream alone: changing the algorithm's
  // timing does not move them.
  Overrides slower;
  slower.sets = {R"(params.election_timeout=["300ms","600ms"])"};
  const nlohmann::json other = run_file("scenarios/raft-jittered-crashes.json", slower);
  CHECK(other["failovers"][0]["at_us"] == failovers[0]["at_us"]);
}

TEST_CASE("the swarm nemesis draws a schedule from the seed, written into the result",
          "[raft][faults]") {
  Overrides seed7;
  seed7.seed = 7;
  const nlohmann::json a = run_file("scenarios/raft-swarm-nemesis.json", seed7);
  const nlohmann::json b = run_file("scenarios/raft-swarm-nemesis.json", seed7);
  REQUIRE(a["nemesis_schedule"].is_array());
  CHECK(a["nemesis_schedule"] == b["nemesis_schedule"]);
  CHECK(!a["nemesis_schedule"].empty());
  // Over many seeds every kind of fault shows up, and each seed keeps a subset.
  std::set<std::string> kinds;
  std::set<std::size_t> subset_sizes;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    Overrides o;
    o.seed = seed;
    const nlohmann::json r = run_file("scenarios/raft-swarm-nemesis.json", o);
    CHECK(r["safety"]["ok"].get<bool>());
    CHECK(r["liveness"]["ok"].get<bool>());
    std::set<std::string> here;
    for (const auto& entry : r["nemesis_schedule"]) {
      std::string kind = entry.contains("crash")             ? "crash"
                         : entry.contains("partition")       ? "partition"
                         : entry.contains("isolate")         ? "isolate"
                         : entry.contains("oneway")          ? "oneway"
                         : entry.contains("cut")             ? "bridge"
                         : entry["network"].contains("loss") ? "loss"
                                                             : "spike";
      here.insert(kind);
    }
    kinds.insert(here.begin(), here.end());
    subset_sizes.insert(here.size());
  }
  CHECK(kinds.size() == 7);
  CHECK(subset_sizes.size() > 2);  // swarm: seeds differ in which kinds are on
}

TEST_CASE("a nemesis schedule copied into faults replays the same run", "[raft][faults]") {
  const nlohmann::json original = run_file("scenarios/raft-swarm-nemesis.json");
  nlohmann::json scenario = nlohmann::json::parse(
      read_text_file(source_path("scenarios/raft-swarm-nemesis.json")), nullptr, true, true);
  scenario.erase("nemesis");
  scenario["faults"] = original["nemesis_schedule"];
  const nlohmann::json replay = run_text(scenario.dump());
  CHECK(replay["leaders"] == original["leaders"]);
  CHECK(replay["messages"] == original["messages"]);
}

TEST_CASE("overlapping pauses nest: the node resumes when the last one ends", "[raft][faults]") {
  const std::string dir = temporary_directory();
  const std::string scenario = dir + "/pauses.json";
  std::FILE* f = std::fopen(scenario.c_str(), "w");
  std::fputs(R"({ "name": "pauses", "algorithm": "raft", "nodes": 3, "duration": "6s",
    "faults": [ { "at": "1s", "pause": 1, "for": "2s" }, { "at": "2s", "pause": 1, "for": "2s" } ] })",
             f);
  std::fclose(f);
  const auto r = run_electsim({"run", scenario, "--trace", dir + "/t.jsonl"});
  REQUIRE(r.exit_code == 0);
  std::istringstream lines(read_text_file(dir + "/t.jsonl"));
  int during = 0, at_resume = 0;
  for (std::string line; std::getline(lines, line);) {
    const nlohmann::json e = nlohmann::json::parse(line);
    const bool to_node_1 =
        (e["ev"] == "deliver" && e["to"] == 1) || (e["ev"] == "timer" && e["node"] == 1);
    if (!to_node_1) continue;
    const long long t = e["t_us"].get<long long>();
    if (t > 1000000 && t < 4000000) ++during;
    if (t == 4000000) ++at_resume;
  }
  CHECK(during == 0);    // still frozen after the first pause's end at 3s
  CHECK(at_resume > 0);  // what arrived is handled when the second one ends
}
