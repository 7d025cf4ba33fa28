// Sweeps, shards, merge, interruption, reproduction and shrinking (issue 4),
// through the real binary.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <sstream>
#include <thread>

#include "tests/test_support.hpp"

using namespace electsim;
using namespace electsim::testing;

extern char** environ;

namespace {

const std::string kMutant = "scenarios/raft-persist-state-mutant.json";

nlohmann::json parse_without_wall(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text);
  j.erase("wall_us_total");
  return j;
}

std::vector<nlohmann::json> read_lines(const std::string& path) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(read_text_file(path));
  std::string line;
  while (std::getline(in, line)) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

// A mutant nemesis scenario whose failing seeds are rare enough to shrink.
std::string write_nemesis_mutant(const std::string& dir) {
  const std::string path = dir + "/mutant-nemesis.json";
  std::FILE* f = std::fopen(path.c_str(), "w");
  std::fputs(R"({ "name": "raft-mutant-nemesis", "algorithm": "raft", "nodes": 5, "duration": "30s",
    "params": { "persist_state": false },
    "nemesis": { "crash_rate_per_s": 1.0, "down_time": ["100ms", "2s"],
                 "partition_rate_per_s": 0.5, "heal_after": ["200ms", "3s"], "until": "12s" } })",
             f);
  std::fclose(f);
  return path;
}

}  // namespace

TEST_CASE("shards of a sweep merged give the same JSON as the whole sweep", "[sweep]") {
  const std::string dir = temporary_directory();
  const std::string scenario = source_path(kMutant);
  const auto whole = run_electsim({"sweep", scenario, "--seeds", "1..30", "--format", "json"});
  REQUIRE(whole.exit_code == 1);
  std::vector<std::string> merge_args{"merge", "--format", "json"};
  for (int shard = 0; shard < 3; ++shard) {
    const std::string out = dir + "/shard" + std::to_string(shard) + ".jsonl";
    const auto r = run_electsim({"sweep", scenario, "--seeds", "1..30", "--shard",
                                 std::to_string(shard) + "/3", "--out", out, "--jobs", "2"});
    REQUIRE(r.exit_code == 1);
    CHECK(read_lines(out).size() == 10);
    merge_args.push_back(out);
  }
  std::swap(merge_args[3], merge_args[5]);  // order of shards does not matter
  const auto merged = run_electsim(merge_args);
  CHECK(merged.exit_code == 1);
  CHECK(parse_without_wall(merged.out) == parse_without_wall(whole.out));
}

TEST_CASE("each --out line is the run's result as run --format json prints it", "[sweep]") {
  const std::string dir = temporary_directory();
  const auto r =
      run_electsim({"sweep", source_path(kMutant), "--seeds", "5..7", "--out", dir + "/o.jsonl"});
  const auto lines = read_lines(dir + "/o.jsonl");
  REQUIRE(lines.size() == 3);
  const auto single =
      run_electsim({"run", source_path(kMutant), "--seed", "6", "--format", "json"});
  nlohmann::json a = lines[1], b = nlohmann::json::parse(single.out);
  a.erase("wall_us");
  b.erase("wall_us");
  CHECK(a == b);
}

TEST_CASE("an interrupted sweep keeps every finished run as valid JSONL and says how far it got",
          "[sweep]") {
  const std::string dir = temporary_directory();
  const std::string out = dir + "/runs.jsonl";
  std::vector<std::string> words{ELECTSIM_BINARY,
                                 "sweep",
                                 source_path("scenarios/raft-lossy-network.json"),
                                 "--seeds",
                                 "1..1000000",
                                 "--jobs",
                                 "2",
                                 "--out",
                                 out,
                                 "--format",
                                 "json"};
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string err_path = dir + "/stderr", out_path = dir + "/stdout";
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&actions);
  // Wait until some runs have finished, then interrupt as Ctrl-C would.
  for (int i = 0; i < 200 && read_text_file(out).size() < 20000; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ::kill(pid, SIGINT);
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  const auto lines = read_lines(out);  // throws if any line is not complete JSON
  REQUIRE(lines.size() >= 2);
  CHECK(lines.size() < 1000000);
  for (std::size_t i = 0; i < lines.size(); ++i)
    CHECK(lines[i]["seed"] == i + 1);  // a prefix, in seed order
  const nlohmann::json summary = nlohmann::json::parse(read_text_file(out_path));
  CHECK(summary["interrupted"] == true);
  CHECK(summary["runs"] == lines.size());
  CHECK(summary["completed_through_seed"] == lines.size());
  CHECK(read_text_file(err_path).find("interrupted: " + std::to_string(lines.size()) +
                                      " of 1000000 runs finished") != std::string::npos);
}

TEST_CASE("the reproduce command of a failure fails the same way with the same trace hash",
          "[sweep]") {
  const auto sweep = run_electsim({"sweep", source_path(kMutant), "--seeds", "1..5", "--format",
                                   "json", "--set", "checks.liveness=false"});
  REQUIRE(sweep.exit_code == 1);
  const nlohmann::json failure = nlohmann::json::parse(sweep.out)["failures"][2];
  const std::string command = failure["reproduce"].get<std::string>();
  CHECK(command ==
        "electsim run " + source_path(kMutant) + " --set checks.liveness=false --seed 3");
  // Split the printed command into words (it needs no quoting here) and run it.
  std::istringstream words(command);
  std::vector<std::string> args;
  for (std::string w; words >> w;) args.push_back(w);
  args.erase(args.begin());
  args.push_back("--format");
  args.push_back("json");
  const auto replay = run_electsim(args);
  CHECK(replay.exit_code == 1);
  const nlohmann::json result = nlohmann::json::parse(replay.out);
  CHECK(result["seed"] == 3);
  CHECK(!result["safety"]["ok"].get<bool>());
  const auto direct = run_electsim({"run", source_path(kMutant), "--seed", "3", "--set",
                                    "checks.liveness=false", "--format", "json"});
  CHECK(nlohmann::json::parse(direct.out)["trace_hash"] == result["trace_hash"]);
}

TEST_CASE("shrink turns a failing nemesis run of the Raft mutant into a small explicit scenario",
          "[sweep][shrink]") {
  const std::string dir = temporary_directory();
  const std::string scenario = write_nemesis_mutant(dir);
  const auto sweep = run_electsim({"sweep", scenario, "--seeds", "1..60", "--format", "json"});
  REQUIRE(sweep.exit_code == 1);
  const std::uint64_t seed =
      nlohmann::json::parse(sweep.out)["failures"][0]["seed"].get<std::uint64_t>();
  const auto shrunk = run_electsim(
      {"shrink", scenario, "--seed", std::to_string(seed), "--out", dir + "/min.json"});
  INFO(shrunk.err);
  CHECK(shrunk.exit_code == 1);
  CHECK(shrunk.out.find("nemesis -> its") != std::string::npos);
  const nlohmann::json minimal = nlohmann::json::parse(read_text_file(dir + "/min.json"));
  CHECK_FALSE(minimal.contains("nemesis"));
  CHECK(minimal["seed"] == seed);
  const nlohmann::json original = nlohmann::json::parse(
      run_electsim({"run", scenario, "--seed", std::to_string(seed), "--format", "json"}).out);
  CHECK(minimal["faults"].size() < original["nemesis_schedule"].size());
  // It stands alone and fails the same check.
  const auto rerun = run_electsim({"run", dir + "/min.json", "--format", "json"});
  CHECK(rerun.exit_code == 1);
  const nlohmann::json result = nlohmann::json::parse(rerun.out);
  CHECK(!result["safety"]["ok"].get<bool>());
  CHECK(result["safety"]["violations"][0]["kind"] == "election_safety");
  // Deterministic: the same input gives the same output.
  const auto again = run_electsim(
      {"shrink", scenario, "--seed", std::to_string(seed), "--out", dir + "/min2.json"});
  CHECK(read_text_file(dir + "/min2.json") == read_text_file(dir + "/min.json"));
  CHECK(again.out.substr(0, again.out.rfind("wrote")) ==
        shrunk.out.substr(0, shrunk.out.rfind("wrote")));
}

TEST_CASE("shrink refuses a seed that passes", "[sweep][shrink]") {
  const auto r =
      run_electsim({"shrink", source_path("scenarios/raft-clean-start.json"), "--seed", "1"});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find("passes every check") != std::string::npos);
}

TEST_CASE("sweep --grid reports one row per combination", "[sweep]") {
  const auto r = run_electsim({"sweep", source_path("scenarios/raft-leader-crash.json"), "--seeds",
                               "1..4", "--grid", "params.heartbeat=25ms,50ms", "--grid",
                               R"(params.election_timeout=["150ms","300ms"],["300ms","600ms"])",
                               "--format", "json"});
  REQUIRE(r.exit_code == 0);
  const nlohmann::json grid = nlohmann::json::parse(r.out)["grid"];
  REQUIRE(grid.size() == 4);
  CHECK(grid[0]["sets"] == nlohmann::json::array({"params.heartbeat=25ms",
                                                  R"(params.election_timeout=["150ms","300ms"])"}));
  CHECK(grid[3]["sets"][0] == "params.heartbeat=50ms");
  for (const auto& row : grid) CHECK(row["runs"] == 4);
  // Twice the heartbeat interval, about half the messages.
  CHECK(grid[0]["stats"]["messages_sent"]["mean"].get<double>() >
        1.8 * grid[2]["stats"]["messages_sent"]["mean"].get<double>());
}

TEST_CASE(
    "shrink cuts Bully's split brain under random partitions down to two nodes and one partition",
    "[sweep][shrink][bully]") {
  const std::string dir = temporary_directory();
  const std::string scenario = dir + "/bully-nemesis.json";
  std::FILE* f = std::fopen(scenario.c_str(), "w");
  std::fputs(R"({ "name": "bully-nemesis", "algorithm": "bully", "nodes": 5, "duration": "20s",
    "nemesis": { "crash_rate_per_s": 0.3, "down_time": ["200ms", "1s"],
                 "partition_rate_per_s": 0.3, "heal_after": ["1s", "3s"], "until": "10s" } })",
             f);
  std::fclose(f);
  const auto shrunk = run_electsim({"shrink", scenario, "--seed", "1", "--out", dir + "/min.json"});
  INFO(shrunk.out << shrunk.err);
  CHECK(shrunk.exit_code == 1);
  const nlohmann::json minimal = nlohmann::json::parse(read_text_file(dir + "/min.json"));
  CHECK_FALSE(minimal.contains("nemesis"));
  CHECK(minimal["nodes"] == 2);
  REQUIRE(minimal["faults"].size() == 1);
  CHECK(minimal["faults"][0].contains("partition"));
  const auto rerun = run_electsim({"run", dir + "/min.json", "--format", "json"});
  CHECK(rerun.exit_code == 1);
  CHECK(nlohmann::json::parse(rerun.out)["safety"]["violations"][0]["kind"] == "split_brain");
}
