// Bully (Garcia-Molina 1982; Coulouris et al., Distributed Systems, 15.3):
// - each rule, one process at a time, through a fake context;
// - the message count of one election, exactly, for n = 3..8 and every starter;
// - a property test over hundreds of seeds of crashes, restarts and partitions;
// - golden traces of a fault-free start (tests/golden/bully-*.txt);
// - the verdicts of the shipped scenarios that break Bully's synchrony promise.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "algorithms/bully/bully_node.hpp"
#include "analysis/result.hpp"
#include "tests/fake_context.hpp"
#include "tests/test_support.hpp"

using namespace electsim;
using namespace electsim::testing;
using bully::Message;
using bully::MessageType;
using Node = bully::Node;
using State = bully::Node::State;
using Ctx = FakeContext<bully::Node>;

namespace {

constexpr std::uint8_t kind_of(MessageType type) {
  return static_cast<std::uint8_t>(type);
}

Message msg(MessageType type, Term term = 0, bool leading = false) {
  return Message{type, term, leading};
}

std::vector<NodeId> recipients(const Ctx& ctx, MessageType type) {
  std::vector<NodeId> out;
  for (const auto& sent : ctx.sent_of_kind(kind_of(type))) out.push_back(sent.to);
  return out;
}

// Process `self` of `nodes`, booted for the first time.
struct Process {
  bully::Config config;
  Node node;
  Ctx ctx;
  Process(NodeId self, std::uint32_t nodes) : node(config, self, nodes), ctx(self, nodes) {
    node.on_start(ctx, nullptr);
  }
  // Drives the process to follow `coordinator` with election counter `term`.
  void follow(NodeId coordinator, Term term) {
    node.on_message(ctx, coordinator, msg(MessageType::coordinator, term));
    ctx.clear();
  }
};

}  // namespace

// --- rules, one process at a time -------------------------------------------------

TEST_CASE("Bully first boot: the highest id knows it is the highest and announces at once",
          "[bully]") {
  Process p(5, 5);
  CHECK(p.node.state() == State::coordinator);
  CHECK(recipients(p.ctx, MessageType::coordinator) == std::vector<NodeId>{1, 2, 3, 4});
  CHECK(p.ctx.sent_of_kind(kind_of(MessageType::election)).empty());
  REQUIRE(!p.ctx.reports.empty());
  CHECK(p.ctx.reports.back().role == Role::leader);
  CHECK(p.ctx.reports.back().term == 1);  // highest counter seen (0) + 1
  CHECK(p.ctx.reports.back().leader == 5);
  for (const auto& sent : p.ctx.sent) CHECK(sent.message.term() == 1);  // carried in COORDINATOR
  REQUIRE(p.ctx.persisted);
  CHECK(p.ctx.persisted->highest_term == 1);
  CHECK(p.ctx.timers.count(Node::heartbeat_timer) == 0);  // no higher id to probe
}

TEST_CASE("Bully first boot: a lower id sends nothing and waits failure_timeout for a coordinator",
          "[bully]") {
  Process p(2, 5);
  CHECK(p.node.state() == State::follower);
  CHECK(p.node.coordinator() == kNoNode);
  CHECK(p.ctx.sent.empty());
  REQUIRE(p.ctx.timers.count(Node::failure_timer) == 1);
  CHECK(p.ctx.timers[Node::failure_timer] == p.config.failure_timeout);
  CHECK(p.ctx.persisted);  // written at first boot, so that a restart is known as one
  // With no COORDINATOR in time, it holds an election: ELECTION to every higher id, wait T.
  p.node.on_timer(p.ctx, Node::failure_timer);
  CHECK(p.node.state() == State::awaiting_answer);
  CHECK(recipients(p.ctx, MessageType::election) == std::vector<NodeId>{3, 4, 5});
  CHECK(p.ctx.timers[Node::answer_timer] == p.config.answer_timeout);
  CHECK(p.ctx.reports.back().role == Role::candidate);
  CHECK(p.ctx.reports.back().leader == kNoNode);
}

TEST_CASE("Coulouris 15.3: with no ANSWER within T the process announces COORDINATOR to lower ids",
          "[bully]") {
  Process p(3, 5);
  p.follow(5, 4);
  p.node.on_timer(p.ctx, Node::failure_timer);
  p.ctx.clear();
  p.node.on_timer(p.ctx, Node::answer_timer);
  CHECK(p.node.state() == State::coordinator);
  CHECK(recipients(p.ctx, MessageType::coordinator) == std::vector<NodeId>{1, 2});
  CHECK(p.node.term() == 5);  // highest counter seen (4) + 1
  CHECK(p.ctx.sent_of_kind(kind_of(MessageType::coordinator))[0].message.term() == 5);
  CHECK(p.ctx.reports.back().role == Role::leader);
  CHECK(p.ctx.reports.back().term == 5);
  CHECK(p.ctx.reports.back().leader == 3);
  CHECK(p.ctx.persisted->highest_term == 5);
  CHECK(p.ctx.timers.count(Node::answer_timer) == 0);
  CHECK(p.ctx.timers.count(Node::failure_timer) == 0);
  // A coordinator below the highest id probes the higher ids every heartbeat.
  REQUIRE(p.ctx.timers.count(Node::heartbeat_timer) == 1);
  p.ctx.clear();
  p.node.on_timer(p.ctx, Node::heartbeat_timer);
  CHECK(recipients(p.ctx, MessageType::heartbeat) == std::vector<NodeId>{4, 5});
  CHECK(p.ctx.timers[Node::heartbeat_timer] == p.config.heartbeat);
}

TEST_CASE("Coulouris 15.3: with an ANSWER the process waits T' for COORDINATOR, then starts again",
          "[bully]") {
  Process p(2, 5);
  p.node.on_timer(p.ctx, Node::failure_timer);
  p.ctx.clear();
  p.node.on_message(p.ctx, 4, msg(MessageType::answer));
  CHECK(p.node.state() == State::awaiting_coordinator);
  CHECK(p.ctx.timers.count(Node::answer_timer) == 0);
  CHECK(p.ctx.timers[Node::coordinator_timer] == p.config.coordinator_timeout);
  CHECK(p.ctx.sent.empty());
  // A second ANSWER changes nothing (T' runs from the first).
  p.ctx.timers[Node::coordinator_timer] = 1;
  p.node.on_message(p.ctx, 5, msg(MessageType::answer));
  CHECK(p.ctx.timers[Node::coordinator_timer] == 1);
  // T' passes with no COORDINATOR: a new election.
  p.node.on_timer(p.ctx, Node::coordinator_timer);
  CHECK(p.node.state() == State::awaiting_answer);
  CHECK(recipients(p.ctx, MessageType::election) == std::vector<NodeId>{3, 4, 5});
  CHECK(p.ctx.timers.count(Node::coordinator_timer) == 0);
  CHECK(p.ctx.timers[Node::answer_timer] == p.config.answer_timeout);
}

TEST_CASE("Coulouris 15.3: on ELECTION a process answers and starts its own election", "[bully]") {
  Process p(3, 5);
  p.follow(5, 1);
  p.node.on_message(p.ctx, 1, msg(MessageType::election));
  CHECK(recipients(p.ctx, MessageType::answer) == std::vector<NodeId>{1});
  CHECK(recipients(p.ctx, MessageType::election) == std::vector<NodeId>{4, 5});
  CHECK(p.node.state() == State::awaiting_answer);
  SECTION("already in an election (either phase), it answers only") {
    p.ctx.clear();
    p.node.on_message(p.ctx, 2, msg(MessageType::election));
    CHECK(recipients(p.ctx, MessageType::answer) == std::vector<NodeId>{2});
    CHECK(p.ctx.sent.size() == 1);
    p.node.on_message(p.ctx, 4, msg(MessageType::answer));
    p.ctx.clear();
    p.node.on_message(p.ctx, 1, msg(MessageType::election));
    CHECK(p.ctx.sent.size() == 1);
    CHECK(p.node.state() == State::awaiting_coordinator);
  }
}

TEST_CASE("Bully: the highest id, already coordinator, answers an ELECTION and re-announces",
          "[bully]") {
  Process p(4, 4);
  p.ctx.clear();
  p.node.on_message(p.ctx, 2, msg(MessageType::election, 1));
  CHECK(recipients(p.ctx, MessageType::answer) == std::vector<NodeId>{2});
  CHECK(recipients(p.ctx, MessageType::coordinator) == std::vector<NodeId>{1, 2, 3});
  CHECK(p.node.state() == State::coordinator);
  CHECK(p.node.term() == 2);  // a new election, a new counter
}

TEST_CASE("Coulouris 15.3: on COORDINATOR a process accepts the sender and checks it", "[bully]") {
  Process p(2, 5);
  p.node.on_timer(p.ctx, Node::failure_timer);  // in an election
  p.ctx.clear();
  p.node.on_message(p.ctx, 4, msg(MessageType::coordinator, 7));
  CHECK(p.node.state() == State::follower);
  CHECK(p.node.coordinator() == 4);
  CHECK(p.node.term() == 7);
  REQUIRE(p.ctx.reports.size() == 1);
  CHECK(p.ctx.reports[0].role == Role::follower);
  CHECK(p.ctx.reports[0].term == 7);
  CHECK(p.ctx.reports[0].leader == 4);
  CHECK(p.ctx.persisted->highest_term == 7);
  CHECK(p.ctx.timers.count(Node::answer_timer) == 0);
  CHECK(p.ctx.timers[Node::heartbeat_timer] == p.config.heartbeat);
  CHECK(p.ctx.timers[Node::failure_timer] == p.config.failure_timeout);
  CHECK(p.ctx.sent.empty());
  // A later ANSWER (from the old election) is ignored.
  p.node.on_message(p.ctx, 3, msg(MessageType::answer));
  CHECK(p.node.state() == State::follower);
  CHECK(p.ctx.timers.count(Node::coordinator_timer) == 0);
}

TEST_CASE("Bully: a coordinator that hears COORDINATOR from a higher id stops leading", "[bully]") {
  Process p(3, 5);
  p.node.on_timer(p.ctx, Node::failure_timer);
  p.node.on_timer(p.ctx, Node::answer_timer);
  REQUIRE(p.node.state() == State::coordinator);
  p.ctx.clear();
  p.node.on_message(p.ctx, 5, msg(MessageType::coordinator, 2));
  CHECK(p.node.state() == State::follower);
  CHECK(p.node.coordinator() == 5);
  CHECK(p.ctx.reports.back().role == Role::follower);
}

TEST_CASE("Bully: a COORDINATOR claim from a lower id makes the higher process bully", "[bully]") {
  Process p(4, 5);
  p.follow(5, 1);
  p.node.on_message(p.ctx, 2, msg(MessageType::coordinator, 3));
  CHECK(p.node.state() == State::awaiting_answer);
  CHECK(recipients(p.ctx, MessageType::election) == std::vector<NodeId>{5});
}

TEST_CASE("Failure detector: a follower sends HEARTBEAT to its coordinator every period",
          "[bully]") {
  Process p(2, 5);
  p.follow(5, 1);
  p.node.on_timer(p.ctx, Node::heartbeat_timer);
  CHECK(recipients(p.ctx, MessageType::heartbeat) == std::vector<NodeId>{5});
  CHECK(p.ctx.timers[Node::heartbeat_timer] == p.config.heartbeat);
  SECTION("an ACK from the coordinator, still leading, resets the failure timeout") {
    p.ctx.timers[Node::failure_timer] = 1;
    p.node.on_message(p.ctx, 5, msg(MessageType::heartbeat_ack, 1, true));
    CHECK(p.ctx.timers[Node::failure_timer] == p.config.failure_timeout);
  }
  SECTION("an ACK from a process that no longer leads does not") {
    p.ctx.timers[Node::failure_timer] = 1;
    p.node.on_message(p.ctx, 5, msg(MessageType::heartbeat_ack, 1, false));
    CHECK(p.ctx.timers[Node::failure_timer] == 1);
  }
  SECTION("silence for failure_timeout starts an election") {
    p.ctx.clear();
    p.node.on_timer(p.ctx, Node::failure_timer);
    CHECK(p.node.state() == State::awaiting_answer);
    CHECK(recipients(p.ctx, MessageType::election) == std::vector<NodeId>{3, 4, 5});
    CHECK(p.ctx.timers.count(Node::heartbeat_timer) == 0);
    // A stale heartbeat timer does nothing in an election.
    p.ctx.clear();
    p.node.on_timer(p.ctx, Node::heartbeat_timer);
    CHECK(p.ctx.sent.empty());
  }
}

TEST_CASE("Failure detector: every live process answers HEARTBEAT, saying whether it leads",
          "[bully]") {
  Process top(5, 5);
  top.ctx.clear();
  top.node.on_message(top.ctx, 2, msg(MessageType::heartbeat));
  REQUIRE(top.ctx.sent.size() == 1);
  CHECK(top.ctx.sent[0].to == 2);
  CHECK(top.ctx.sent[0].message.type == MessageType::heartbeat_ack);
  CHECK(top.ctx.sent[0].message.leading);
  Process low(3, 5);
  low.node.on_message(low.ctx, 1, msg(MessageType::heartbeat));
  REQUIRE(low.ctx.sent.size() == 1);
  CHECK_FALSE(low.ctx.sent[0].message.leading);
}

TEST_CASE("Bully: a coordinator that finds a higher live id holds an election", "[bully]") {
  // E.g. a partition healed: 3 led one side while 5 led the other.
  Process p(3, 5);
  p.node.on_timer(p.ctx, Node::failure_timer);
  p.node.on_timer(p.ctx, Node::answer_timer);
  REQUIRE(p.node.state() == State::coordinator);
  p.ctx.clear();
  p.node.on_message(p.ctx, 1, msg(MessageType::heartbeat_ack, 0, false));  // a lower id: nothing
  CHECK(p.node.state() == State::coordinator);
  p.node.on_message(p.ctx, 4, msg(MessageType::heartbeat_ack, 0, false));
  CHECK(p.node.state() == State::awaiting_answer);
  CHECK(recipients(p.ctx, MessageType::election) == std::vector<NodeId>{4, 5});
  CHECK(p.ctx.reports.back().role == Role::candidate);
}

TEST_CASE("GM: a restarted process starts an election, the highest id bullies its way back",
          "[bully]") {
  const bully::Config config;
  bully::Durable disk;
  disk.highest_term = 6;
  SECTION("a lower id sends ELECTION to the higher ids") {
    Node node(config, 2, 4);
    Ctx ctx(2, 4);
    node.on_start(ctx, &disk);
    CHECK(node.state() == State::awaiting_answer);
    CHECK(recipients(ctx, MessageType::election) == std::vector<NodeId>{3, 4});
    CHECK(node.highest_term() == 6);
  }
  SECTION("the highest id announces at once, with a counter above what it knew") {
    Node node(config, 4, 4);
    Ctx ctx(4, 4);
    node.on_start(ctx, &disk);
    CHECK(node.state() == State::coordinator);
    CHECK(recipients(ctx, MessageType::coordinator) == std::vector<NodeId>{1, 2, 3});
    CHECK(node.term() == 7);
    CHECK(ctx.persisted->highest_term == 7);
  }
}

TEST_CASE("Bully: the campaign fault starts an election unless one is running", "[bully]") {
  Process p(2, 4);
  p.follow(4, 1);
  p.node.on_campaign(p.ctx);
  CHECK(p.node.state() == State::awaiting_answer);
  CHECK(recipients(p.ctx, MessageType::election) == std::vector<NodeId>{3, 4});
  p.ctx.clear();
  p.node.on_campaign(p.ctx);
  CHECK(p.ctx.sent.empty());
}

TEST_CASE("Bully: the highest election counter seen is learned from any message and persisted",
          "[bully]") {
  Process p(2, 4);
  p.node.on_message(p.ctx, 3, msg(MessageType::heartbeat, 9));
  CHECK(p.node.highest_term() == 9);
  REQUIRE(p.ctx.persisted);
  CHECK(p.ctx.persisted->highest_term == 9);
  p.ctx.clear();
  p.node.on_message(p.ctx, 3, msg(MessageType::heartbeat, 4));  // lower: no write
  CHECK(p.ctx.persist_count == 0);
  CHECK(p.node.highest_term() == 9);
}

// --- the cost of one election, exactly --------------------------------------------

namespace {

struct Counts {
  int election = 0, answer = 0, coordinator = 0;
};

// Runs n processes through the electsim binary: the coordinator n crashes at
// 1s and process k starts an election at 1.1s (`campaign`); failure_timeout
// is 10s, so no other failure detector fires. Counts the sends from the crash on.
Counts run_crash_then_campaign(std::uint32_t n, std::uint32_t k, std::uint64_t seed,
                               nlohmann::json& result) {
  const std::string dir = temporary_directory();
  const std::string scenario = dir + "/bully-exact.json", trace = dir + "/trace.jsonl";
  const nlohmann::json document = {
      {"name", "bully-exact"},
      {"algorithm", "bully"},
      {"nodes", n},
      {"seed", seed},
      {"duration", "2s"},
      {"params", {{"failure_timeout", "10s"}}},
      {"faults",
       nlohmann::json::array({{{"at", "1s"}, {"crash", n}}, {{"at", "1100ms"}, {"campaign", k}}})},
      {"checks", {{"liveness", {{"within", "500ms"}}}}}};
  std::ofstream(scenario) << document.dump();
  const CommandResult run = run_electsim({"run", scenario, "--format", "json", "--trace", trace});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  result = nlohmann::json::parse(run.out);
  Counts counts;
  long long crash_us = -1;
  std::istringstream lines(read_text_file(trace));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    const nlohmann::json e = nlohmann::json::parse(line);
    if (e["ev"] == "crash") crash_us = e["t_us"].get<long long>();
    if (e["ev"] != "send" || crash_us < 0) continue;
    const std::string type = e["type"];
    if (type == "ELECTION") ++counts.election;
    if (type == "ANSWER") ++counts.answer;
    if (type == "COORDINATOR") ++counts.coordinator;
  }
  REQUIRE(crash_us == 1000000);
  std::remove(scenario.c_str());
  std::remove(trace.c_str());
  return counts;
}

}  // namespace

TEST_CASE(
    "Bully's cost: after the coordinator n crashes and k starts, ELECTION m(m+1)/2, ANSWER "
    "m(m-1)/2, COORDINATOR n-2 (m = n-k)",
    "[bully][exact]") {
  for (std::uint32_t n = 3; n <= 8; ++n) {
    for (std::uint32_t k = 1; k < n; ++k) {
      for (std::uint64_t seed : {1, 2}) {
        const int m = static_cast<int>(n - k);
        INFO("n=" << n << " k=" << k << " seed=" << seed);
        nlohmann::json result;
        const Counts counts = run_crash_then_campaign(n, k, seed, result);
        CHECK(counts.election == m * (m + 1) / 2);
        CHECK(counts.answer == m * (m - 1) / 2);
        CHECK(counts.coordinator == static_cast<int>(n) - 2);
        // The fault-free start before the crash cost n-1 COORDINATOR and nothing else.
        const nlohmann::json& by_type = result["messages"]["by_type"];
        CHECK(by_type["ELECTION"] == counts.election);
        CHECK(by_type["ANSWER"] == counts.answer);
        CHECK(by_type["COORDINATOR"] == counts.coordinator + static_cast<int>(n) - 1);
        // And n-1 took over, named by every live process.
        REQUIRE(result["leaders"].size() == 2);
        CHECK(result["leaders"][1]["node"] == n - 1);
        CHECK(result["liveness"]["ok"] == true);
        CHECK(result["liveness"]["applicable"] == true);
        CHECK(result["safety"]["ok"] == true);
      }
    }
  }
}

// --- random faults ------------------------------------------------------------------

namespace {

const char* const kCrashScenario = R"({
  "name": "bully-nemesis-crashes",
  "algorithm": "bully",
  "nodes": 5,
  "duration": "30s",
  "nemesis": { "crash_rate_per_s": 1.0, "down_time": ["100ms", "2s"], "until": "12s" },
  "checks": { "liveness": { "within": "10s" } }
})";

const char* const kPartitionScenario = R"({
  "name": "bully-nemesis-partitions",
  "algorithm": "bully",
  "nodes": 5,
  "duration": "30s",
  "nemesis": { "crash_rate_per_s": 0.5, "down_time": ["100ms", "2s"],
               "partition_rate_per_s": 0.5, "heal_after": ["200ms", "3s"], "until": "12s" },
  "checks": { "liveness": { "within": "10s" } }
})";

struct Tally {
  int runs = 0, safety_failures = 0, liveness_failures = 0, not_applicable = 0, faults = 0;
  int leaderships = 0, split_brain_runs = 0;
  std::uint64_t first_safety_failure = 0, first_liveness_failure = 0;
};

// The cluster size is drawn from the seed too (3..8 processes).
Tally sweep(const char* scenario, std::uint64_t first, std::uint64_t last) {
  Tally tally;
  for (std::uint64_t seed = first; seed <= last; ++seed) {
    Overrides overrides;
    overrides.seed = seed;
    overrides.nodes = 3 + (seed * 7) % 6;
    const nlohmann::json r = run_text(scenario, overrides);
    ++tally.runs;
    tally.faults += r["faults"]["fired"].get<int>();
    tally.leaderships += static_cast<int>(r["leaders"].size());
    if (r["split_brain_us"].get<Time>() > 0) ++tally.split_brain_runs;
    if (!r["safety"]["ok"].get<bool>() && tally.safety_failures++ == 0)
      tally.first_safety_failure = seed;
    if (!r["liveness"]["ok"].get<bool>() && tally.liveness_failures++ == 0)
      tally.first_liveness_failure = seed;
    if (!r["liveness"]["applicable"].get<bool>()) ++tally.not_applicable;
  }
  return tally;
}

}  // namespace

TEST_CASE("Bully under 300 seeds of crashes and restarts keeps one coordinator and recovers",
          "[bully][property]") {
  // Crashes and restarts keep Bully's synchrony assumption (delays 1-10ms, far
  // below T), so the promise holds: no split brain beyond the grace, and once
  // the faults stop every live process names the highest id.
  const Tally tally = sweep(kCrashScenario, 1, 300);
  INFO("first safety failure: seed " << tally.first_safety_failure);
  INFO("first liveness failure: seed " << tally.first_liveness_failure);
  CHECK(tally.safety_failures == 0);
  CHECK(tally.liveness_failures == 0);
  CHECK(tally.not_applicable == 0);  // every crash is undone before 15s
  CHECK(tally.faults > 300 * 20);    // about 12 crashes and their restarts per run
  CHECK(tally.leaderships > 300 * 3);
}

TEST_CASE("Bully under 300 seeds of partitions: each side elects its own, one after heal",
          "[bully][property]") {
  // Partitions break the assumption, so split brain is expected (and judged a
  // safety violation); liveness is predictable: after the last heal the
  // whole cluster is one maximal connected set and must agree on one coordinator.
  const Tally tally = sweep(kPartitionScenario, 1, 300);
  INFO("first liveness failure: seed " << tally.first_liveness_failure);
  CHECK(tally.liveness_failures == 0);
  CHECK(tally.not_applicable == 0);
  CHECK(tally.split_brain_runs > 100);  // the partitions did make two coordinators
  CHECK(tally.safety_failures > 100);
}

// --- golden traces --------------------------------------------------------------------

namespace {
void check_golden(const std::string& name, const std::string& scenario,
                  const Overrides& overrides) {
  const std::string trace_path = temporary_directory() + "/trace.jsonl";
  run_file_with_trace(scenario, trace_path, overrides);
  const std::string difference =
      compare_golden(name, fixed_width_trace(read_text_file(trace_path)));
  INFO(difference);
  CHECK(difference.empty());
}
void check_golden_start(const std::string& name, std::uint32_t nodes, const std::string& duration) {
  Overrides overrides;
  overrides.nodes = nodes;
  overrides.duration = duration;
  check_golden(name, "scenarios/bully-clean-start.json", overrides);
}
}  // namespace

TEST_CASE("golden trace: three Bully processes start, 3 announces, 1 and 2 check it",
          "[bully][golden]") {
  check_golden_start("bully-3", 3, "250ms");
}

TEST_CASE("golden trace: five Bully processes start, 5 announces, the others check it",
          "[bully][golden]") {
  check_golden_start("bully-5", 5, "250ms");
}

TEST_CASE("golden trace: coordinator 5 crashes and 1 holds the worst-case election",
          "[bully][golden]") {
  // Heartbeats every 1s and failure_timeout 10s keep the failure detector out
  // of the picture: the trace is the election alone. Expected by the rules:
  // ELECTION 4+3+2+1 = 10, ANSWER 1+2+3 = 6, COORDINATOR from 4 to 1, 2, 3.
  Overrides overrides;
  overrides.duration = "800ms";
  overrides.sets = {"params.heartbeat=1s", "params.failure_timeout=10s",
                    R"(faults=[{"at": "300ms", "crash": 5}, {"at": "400ms", "campaign": 1}])"};
  check_golden("bully-5-election", "scenarios/bully-coordinator-crash.json", overrides);
}

// --- the shipped scenarios' verdicts ---------------------------------------------------

TEST_CASE("Bully scenarios: clean start and coordinator crash pass", "[bully][scenarios]") {
  for (const char* file :
       {"scenarios/bully-clean-start.json", "scenarios/bully-coordinator-crash.json"}) {
    INFO(file);
    const nlohmann::json r = run_file(file);
    CHECK(failed_checks(r).empty());
    CHECK(r["liveness"]["applicable"] == true);
  }
  const nlohmann::json crash = run_file("scenarios/bully-coordinator-crash.json");
  REQUIRE(crash["failovers"].size() == 1);
  CHECK(crash["failovers"][0]["crashed_leader"] == 5);
  CHECK(crash["leaders"][1]["node"] == 4);      // the highest live id took over
  CHECK(crash["leaders"].back()["node"] == 5);  // and 5 bullied its way back
  // The takeover overlapped for a message delay only, within the grace.
  CHECK(crash["split_brain_us"].get<Time>() > 0);
  CHECK(crash["split_brain_us"].get<Time>() < 100 * kMillisecond);
}

TEST_CASE("Bully split brain under a partition is a safety violation (exit 1)",
          "[bully][scenarios]") {
  const nlohmann::json r = run_file("scenarios/bully-partition.json");
  CHECK(failed_checks(r) == std::vector<std::string>{"safety"});
  REQUIRE(!r["safety"]["violations"].empty());
  CHECK(r["safety"]["violations"][0]["kind"] == "split_brain");
  CHECK(r["safety"]["violations"][0]["nodes"] == nlohmann::json::array({3, 5}));
  const CommandResult run = run_electsim({"run", source_path("scenarios/bully-partition.json")});
  CHECK(run.exit_code == 1);
}

TEST_CASE("Bully split brain from an ANSWER slower than T is a safety violation (exit 1)",
          "[bully][scenarios]") {
  const nlohmann::json r = run_file("scenarios/bully-slow-answer.json");
  CHECK(failed_checks(r) == std::vector<std::string>{"safety"});
  REQUIRE(!r["safety"]["violations"].empty());
  CHECK(r["safety"]["violations"][0]["kind"] == "split_brain");
  CHECK(r["safety"]["violations"][0]["nodes"] == nlohmann::json::array({2, 3}));
  // With the slow link as fast as the others, the same run is clean.
  Overrides fast;
  fast.sets = {"network.links=[]"};
  const nlohmann::json clean = run_file("scenarios/bully-slow-answer.json", fast);
  CHECK(failed_checks(clean).empty());
  const CommandResult run = run_electsim({"run", source_path("scenarios/bully-slow-answer.json")});
  CHECK(run.exit_code == 1);
}

TEST_CASE("Bully is listed with its parameters and defaults", "[bully]") {
  const CommandResult run = run_electsim({"list"});
  CHECK(run.exit_code == 0);
  for (const char* word : {"bully", "heartbeat", "failure_timeout", "answer_timeout",
                           "coordinator_timeout", "500ms", "300ms"})
    CHECK(run.out.find(word) != std::string::npos);
}
