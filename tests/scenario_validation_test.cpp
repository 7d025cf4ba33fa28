// The scenario loader (sim/scenario.*): it accepts DESIGN.md's example and
// rejects each kind of bad input with an InputError naming the JSON pointer
// of the field that is wrong (DESIGN.md, Scenario file: "Unknown fields,
// wrong types and out-of-range values are errors. Nothing is silently
// ignored."). Command-line overrides (--set and friends) apply before
// validation, so they are checked the same way.
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>

#include "algorithms/registry.hpp"
#include "sim/errors.hpp"
#include "sim/json_input.hpp"
#include "sim/scenario.hpp"
#include "tests/test_support.hpp"

using namespace electsim;
using namespace electsim::testing;
using nlohmann::json;

namespace {

// DESIGN.md's example with its zab line made a raft one, so that the example
// does not depend on another algorithm's parameter list.
const char* const kDesignExample = R"({
  "name": "raft-leader-crash",
  "description": "Crash the leader twice; a new one must take over within 2s.",
  "algorithm": "raft",
  "nodes": 5,
  "seed": 1,
  "duration": "30s",
  "params": { "election_timeout": ["150ms", "300ms"], "heartbeat": "50ms",
              "prevote": false, "check_quorum": false },
  "params_by_algorithm": { "raft": { "heartbeat": "40ms" } },
  "network": {
    "delay": { "distribution": "uniform", "min": "1ms", "max": "10ms" },
    "loss": 0.0, "duplicate": 0.0
  },
  "faults": [
    { "at": "5s",  "crash": "leader" },
    { "at": "7s",  "restart": "all" },
    { "at": "10s", "partition": [[1, 2], [3, 4, 5]] },
    { "at": "15s", "heal": true }
  ],
  "checks": { "safety": true, "liveness": { "within": "5s" } }
})";

// The pointer of the InputError the loader throws, or "(accepted)".
std::string rejected_at(const std::string& text, const Overrides& overrides = {}) {
  try {
    scenario_from_text(text, overrides);
  } catch (const InputError& e) {
    return e.pointer();
  }
  return "(accepted)";
}

// A valid minimal scenario with `extra` fields added (text after a comma).
std::string minimal_with(const std::string& extra) {
  return R"({ "algorithm": "raft", "nodes": 5, "duration": "10s")" +
         (extra.empty() ? std::string() : ", " + extra) + " }";
}

std::string with_fault(const std::string& fault) {
  return minimal_with(R"("faults": [)" + fault + "]");
}

Overrides sets(std::vector<std::string> assignments) {
  Overrides o;
  o.sets = std::move(assignments);
  return o;
}

}  // namespace

TEST_CASE("the loader accepts DESIGN.md's example", "[validation]") {
  const Scenario s = scenario_from_text(kDesignExample);
  CHECK(s.name == "raft-leader-crash");
  CHECK(s.algorithm == "raft");
  CHECK(s.nodes == 5);
  CHECK(s.seed == 1);
  CHECK(s.duration == 30 * kSecond);
  CHECK(s.params["election_timeout"] == json::array({150'000, 300'000}));
  CHECK(s.params["heartbeat"] == 40'000);  // params_by_algorithm.raft wins over params
  CHECK(s.params["prevote"] == false);
  CHECK(s.params["persist_state"] == true);  // defaults filled in
  CHECK(s.network.defaults.delay.kind == DelaySpec::Kind::uniform);
  CHECK(s.network.defaults.delay.a == 1000);
  CHECK(s.network.defaults.delay.b == 10'000);
  CHECK(s.network.defaults.loss_probability == 0.0);
  REQUIRE(s.faults.size() == 4);
  CHECK(s.faults[0].at == 5 * kSecond);
  CHECK(s.faults[0].action == FaultAction::crash);
  CHECK(s.faults[0].target.kind == Target::Kind::leader);
  CHECK(s.faults[1].action == FaultAction::restart);
  CHECK(s.faults[1].target.kind == Target::Kind::all);
  CHECK(s.faults[2].action == FaultAction::partition);
  CHECK(s.faults[2].groups == std::vector<std::vector<NodeId>>{{1, 2}, {3, 4, 5}});
  CHECK(s.faults[3].action == FaultAction::heal);
  CHECK(s.faults[3].origin == "/faults/3");
  CHECK(s.checks.safety);
  CHECK(s.checks.liveness);
  CHECK(s.checks.liveness_within == 5 * kSecond);
}

TEST_CASE("defaults of an optional field", "[validation]") {
  const Scenario s = scenario_from_text(minimal_with(""));
  CHECK(s.seed == 1);
  CHECK(s.checks.safety);
  CHECK(s.checks.liveness);
  CHECK(s.checks.liveness_within == 10 * kSecond);
  CHECK(s.faults.empty());
  CHECK_FALSE(s.nemesis.has_value());
  CHECK(s.params["election_timeout"] == json::array({150'000, 300'000}));
  CHECK(s.params["heartbeat"] == 50'000);
}

TEST_CASE("ranges at their limits are accepted", "[validation]") {
  CHECK(rejected_at(R"({ "algorithm": "raft", "nodes": 1, "duration": "1us" })") == "(accepted)");
  CHECK(rejected_at(R"({ "algorithm": "raft", "nodes": 100000, "duration": "30s" })") ==
        "(accepted)");
  CHECK(rejected_at(R"({ "algorithm": "raft", "nodes": 3, "duration": "43200m" })") ==
        "(accepted)");  // 30 days
  CHECK(rejected_at(R"({ "algorithm": "raft", "nodes": 3, "duration": 0.001 })") == "(accepted)");
  CHECK(rejected_at(minimal_with(R"("seed": 0)")) == "(accepted)");
  CHECK(rejected_at(minimal_with(R"("seed": 18446744073709551615)")) == "(accepted)");
  CHECK(scenario_from_text(minimal_with(R"("seed": 18446744073709551615)")).seed == ~0ULL);
  CHECK(rejected_at(minimal_with(R"("params": { "election_timeout": ["200ms", "200ms"] })")) ==
        "(accepted)");  // min == max allowed
  CHECK(rejected_at(minimal_with(R"("network": { "loss": 1, "duplicate": 1 })")) == "(accepted)");
  CHECK(rejected_at(with_fault(
            R"({ "at": "1s", "every": "2s", "for": "1999999us", "crash": 1 })")) == "(accepted)");
  CHECK(rejected_at(with_fault(R"({ "at": "10s", "crash": 1 })")) ==
        "(accepted)");  // at == duration
  CHECK(rejected_at(with_fault(R"({ "at": "1h5m", "crash": 1 })")) == "/faults/0/at");
}

TEST_CASE("every fault action and target form is accepted", "[validation]") {
  const char* const faults[] = {
      R"({ "at": "1s", "crash": 3 })",
      R"({ "at": "1s", "crash": [1, 2] })",
      R"({ "at": "1s", "crash": "leader", "for": "1s" })",
      R"({ "at": "1s", "crash": "random" })",
      R"({ "at": "1s", "crash": "all" })",
      R"({ "at": "1s", "crash": "majority" })",
      R"({ "at": "1s", "crash": "minority" })",
      R"({ "at": "1s", "restart": "all" })",
      R"({ "at": "1s", "partition": [[1, 2], [3]] })",
      R"({ "at": "1s", "partition": [[1]], "for": "2s" })",
      R"({ "at": "1s", "isolate": 2, "for": "2s" })",
      R"({ "at": "1s", "cut": [[1, 2], [2, 3]] })",
      R"({ "at": "1s", "cut": [[1, 2]], "oneway": true, "for": "1s" })",
      R"({ "at": "1s", "heal": true })",
      R"({ "at": "1s", "campaign": 4 })",
      R"({ "at": "1s", "network": { "loss": 0.5 }, "for": "1s" })",
      R"({ "at": "1s", "network": { "delay": { "distribution": "constant", "value": "5ms" } } })",
      R"({ "at": "1s", "pause": 1, "for": "100ms" })",
      R"({ "at": "1s", "drift": { "node": 1, "rate": 1.05 } })",
      R"({ "at": "1s", "jitter": "500ms", "crash": 1 })",
      R"({ "at": "1s", "every": "2s", "until": "9s", "crash": "leader", "for": "1s" })",
  };
  for (const char* fault : faults) {
    INFO(fault);
    CHECK(rejected_at(with_fault(fault)) == "(accepted)");
  }
}

TEST_CASE("every delay distribution is accepted", "[validation]") {
  const char* const delays[] = {
      R"({ "distribution": "constant", "value": "5ms" })",
      R"({ "distribution": "uniform", "min": "1ms", "max": "1ms" })",
      R"({ "distribution": "normal", "mean": "10ms", "stddev": "2ms" })",
      R"({ "distribution": "exponential", "mean": "5ms" })",
      R"({ "distribution": "exponential", "mean": "5ms", "min": "1ms" })",
      R"({ "distribution": "lognormal", "median": "5ms", "sigma": 0.5 })",
      R"({ "distribution": "pareto", "scale": "2ms", "shape": 1.5 })",
  };
  for (const char* delay : delays) {
    INFO(delay);
    CHECK(rejected_at(minimal_with(std::string(R"("network": { "delay": )") + delay + " }")) ==
          "(accepted)");
    CHECK(rejected_at(
              minimal_with(std::string(R"("network": { "links": [ { "link": [1, 2], "delay": )") +
                           delay + " } ] }")) == "(accepted)");
  }
}

TEST_CASE("bad input is rejected with the pointer of the field", "[validation]") {
  struct Case {
    std::string text, pointer;
  };
  const std::vector<Case> cases = {
      // the document and its required fields
      {"[]", ""},
      {R"({ "nodes": 5, "duration": "10s" })", "/algorithm"},
      {R"({ "algorithm": "raft", "duration": "10s" })", "/nodes"},
      {R"({ "algorithm": "raft", "nodes": 5 })", "/duration"},
      {minimal_with(R"("bogus": 1)"), "/bogus"},
      {minimal_with(R"("name": 5)"), "/name"},
      {minimal_with(R"("description": [])"), "/description"},
      {R"({ "algorithm": "nope", "nodes": 5, "duration": "10s" })", "/algorithm"},
      {R"({ "algorithm": 3, "nodes": 5, "duration": "10s" })", "/algorithm"},
      // nodes, duration, seed
      {R"({ "algorithm": "raft", "nodes": 100001, "duration": "10s" })", "/nodes"},
      {R"({ "algorithm": "raft", "nodes": 1000000000, "duration": "10s" })", "/nodes"},
      {R"({ "algorithm": "raft", "nodes": -3, "duration": "10s" })", "/nodes"},
      {R"({ "algorithm": "raft", "nodes": 2.5, "duration": "10s" })", "/nodes"},
      {R"({ "algorithm": "raft", "nodes": "5", "duration": "10s" })", "/nodes"},
      {R"({ "algorithm": "raft", "nodes": 5, "duration": "0s" })", "/duration"},
      {R"({ "algorithm": "raft", "nodes": 5, "duration": 0 })", "/duration"},
      {R"({ "algorithm": "raft", "nodes": 5, "duration": "43200.000001m" })", "/duration"},
      {R"({ "algorithm": "raft", "nodes": 5, "duration": "31d" })", "/duration"},
      {R"({ "algorithm": "raft", "nodes": 5, "duration": "ten" })", "/duration"},
      {R"({ "algorithm": "raft", "nodes": 5, "duration": "-5s" })", "/duration"},
      {R"({ "algorithm": "raft", "nodes": 5, "duration": "0.0001ms" })", "/duration"},
      {R"({ "algorithm": "raft", "nodes": 5, "duration": true })", "/duration"},
      {minimal_with(R"("seed": -1)"), "/seed"},
      {minimal_with(R"("seed": 1.5)"), "/seed"},
      {minimal_with(R"("seed": "1")"), "/seed"},
      {minimal_with(R"("seed": 18446744073709551616)"), "/seed"},
      // params
      {minimal_with(R"("params": [])"), "/params"},
      {minimal_with(R"("params": { "bogus": 1 })"), "/params/bogus"},
      {minimal_with(R"("params": { "finalize_wait": "200ms" })"), "/params/finalize_wait"},
      {minimal_with(R"("params": { "heartbeat": "0ms" })"), "/params/heartbeat"},
      {minimal_with(R"("params": { "heartbeat": "fast" })"), "/params/heartbeat"},
      {minimal_with(R"("params": { "election_timeout": ["300ms", "150ms"] })"),
       "/params/election_timeout"},
      {minimal_with(R"("params": { "election_timeout": ["150ms"] })"), "/params/election_timeout"},
      {minimal_with(R"("params": { "election_timeout": ["0ms", "150ms"] })"),
       "/params/election_timeout/0"},
      {minimal_with(R"("params": { "election_timeout": ["1ms", "x"] })"),
       "/params/election_timeout/1"},
      {minimal_with(R"("params": { "prevote": "yes" })"), "/params/prevote"},
      {minimal_with(R"("params_by_algorithm": [])"), "/params_by_algorithm"},
      {minimal_with(R"("params_by_algorithm": { "nope": {} })"), "/params_by_algorithm/nope"},
      {minimal_with(R"("params_by_algorithm": { "raft": { "bogus": 1 } })"),
       "/params_by_algorithm/raft/bogus"},
      {minimal_with(R"("params_by_algorithm": { "raft": { "heartbeat": -1 } })"),
       "/params_by_algorithm/raft/heartbeat"},
      // network
      {minimal_with(R"("network": 5)"), "/network"},
      {minimal_with(R"("network": { "bogus": 1 })"), "/network/bogus"},
      {minimal_with(R"("network": { "loss": 1.5 })"), "/network/loss"},
      {minimal_with(R"("network": { "loss": "0.1" })"), "/network/loss"},
      {minimal_with(R"("network": { "duplicate": -0.1 })"), "/network/duplicate"},
      {minimal_with(R"("network": { "delay": { "distribution": "weird" } })"),
       "/network/delay/distribution"},
      {minimal_with(R"("network": { "delay": { "min": "1ms", "max": "2ms" } })"),
       "/network/delay/distribution"},
      {minimal_with(
           R"("network": { "delay": { "distribution": "uniform", "min": "3ms", "max": "2ms" } })"),
       "/network/delay/min"},
      {minimal_with(R"("network": { "delay": { "distribution": "uniform", "min": "3ms" } })"),
       "/network/delay/max"},
      {minimal_with(
           R"("network": { "delay": { "distribution": "constant", "value": "1ms", "min": "1ms" } })"),
       "/network/delay/min"},
      {minimal_with(
           R"("network": { "delay": { "distribution": "normal", "mean": "1ms", "stddev": "-1ms" } })"),
       "/network/delay/stddev"},
      {minimal_with(
           R"("network": { "delay": { "distribution": "lognormal", "median": "1ms", "sigma": 11 } })"),
       "/network/delay/sigma"},
      {minimal_with(
           R"("network": { "delay": { "distribution": "pareto", "scale": "1ms", "shape": 0 } })"),
       "/network/delay/shape"},
      {minimal_with(
           R"("network": { "delay": { "distribution": "exponential", "mean": "1.00005ms" } })"),
       "/network/delay/mean"},
      {minimal_with(R"("network": { "links": {} })"), "/network/links"},
      {minimal_with(R"("network": { "links": [ { "link": [2, 2], "loss": 0.1 } ] })"),
       "/network/links/0/link"},
      {minimal_with(R"("network": { "links": [ { "link": [1, 9], "loss": 0.1 } ] })"),
       "/network/links/0/link/1"},
      {minimal_with(R"("network": { "links": [ { "link": [1, 2] } ] })"), "/network/links/0"},
      {minimal_with(R"("network": { "links": [ { "loss": 0.1 } ] })"), "/network/links/0/link"},
      {minimal_with(R"("network": { "links": [ { "link": [1, 2], "loss": 2 } ] })"),
       "/network/links/0/loss"},
      {minimal_with(R"("network": { "links": [ { "link": [1, 2], "loss": 0.1, "color": 1 } ] })"),
       "/network/links/0/color"},
      // faults
      {minimal_with(R"("faults": {})"), "/faults"},
      {with_fault("5"), "/faults/0"},
      {with_fault(R"({ "crash": 1 })"), "/faults/0/at"},
      {with_fault(R"({ "at": "ten", "crash": 1 })"), "/faults/0/at"},
      {with_fault(R"({ "at": "-1s", "crash": 1 })"), "/faults/0/at"},
      {with_fault(R"({ "at": -1, "crash": 1 })"), "/faults/0/at"},
      {with_fault(R"({ "at": "0.0001ms", "crash": 1 })"), "/faults/0/at"},
      {with_fault(R"({ "at": "1s" })"), "/faults/0"},
      {with_fault(R"({ "at": "1s", "crash": 1, "restart": 2 })"), "/faults/0"},
      {with_fault(R"({ "at": "1s", "crash": 1, "bogus": 2 })"), "/faults/0/bogus"},
      {with_fault(R"({ "at": "1s", "crash": 6 })"), "/faults/0/crash"},
      {with_fault(R"({ "at": "1s", "crash": 0 })"), "/faults/0/crash"},
      {with_fault(R"({ "at": "1s", "crash": "someone" })"), "/faults/0/crash"},
      {with_fault(R"({ "at": "1s", "crash": [] })"), "/faults/0/crash"},
      {with_fault(R"({ "at": "1s", "crash": [1, 1] })"), "/faults/0/crash/1"},
      {with_fault(R"({ "at": "1s", "crash": [1, 7] })"), "/faults/0/crash/1"},
      {with_fault(R"({ "at": "1s", "crash": 1.5 })"), "/faults/0/crash"},
      {with_fault(R"({ "at": "1s", "partition": [] })"), "/faults/0/partition"},
      {with_fault(R"({ "at": "1s", "partition": [[]] })"), "/faults/0/partition/0"},
      {with_fault(R"({ "at": "1s", "partition": [[1, 2], [2, 3]] })"), "/faults/0/partition/1/0"},
      {with_fault(R"({ "at": "1s", "partition": [[1, 7]] })"), "/faults/0/partition/0/1"},
      {with_fault(R"({ "at": "1s", "partition": [1, 2] })"), "/faults/0/partition/0"},
      {with_fault(R"({ "at": "1s", "isolate": "nobody" })"), "/faults/0/isolate"},
      {with_fault(R"({ "at": "1s", "cut": [] })"), "/faults/0/cut"},
      {with_fault(R"({ "at": "1s", "cut": [[2, 2]] })"), "/faults/0/cut/0"},
      {with_fault(R"({ "at": "1s", "cut": [[1, 2], [1]] })"), "/faults/0/cut/1"},
      {with_fault(R"({ "at": "1s", "cut": [[1, 6]] })"), "/faults/0/cut/0/1"},
      {with_fault(R"({ "at": "1s", "heal": false })"), "/faults/0/heal"},
      {with_fault(R"({ "at": "1s", "heal": "yes" })"), "/faults/0/heal"},
      {with_fault(R"({ "at": "1s", "network": {} })"), "/faults/0/network"},
      {with_fault(R"({ "at": "1s", "network": { "loss": 2 } })"), "/faults/0/network/loss"},
      {with_fault(R"({ "at": "1s", "network": { "jitter": "1ms" } })"), "/faults/0/network/jitter"},
      {with_fault(R"({ "at": "1s", "drift": { "node": 1, "rate": 0 } })"), "/faults/0/drift/rate"},
      {with_fault(R"({ "at": "1s", "drift": { "rate": 1.1 } })"), "/faults/0/drift/node"},
      {with_fault(R"({ "at": "1s", "drift": { "node": 9, "rate": 1.1 } })"),
       "/faults/0/drift/node"},
      {with_fault(R"({ "at": "1s", "drift": 1.1 })"), "/faults/0/drift"},
      {with_fault(R"({ "at": "1s", "restart": 1, "for": "1s" })"), "/faults/0/for"},
      {with_fault(R"({ "at": "1s", "heal": true, "for": "1s" })"), "/faults/0/for"},
      {with_fault(R"({ "at": "1s", "campaign": 1, "for": "1s" })"), "/faults/0/for"},
      {with_fault(R"({ "at": "1s", "crash": 1, "every": "1s", "for": "1s" })"), "/faults/0/for"},
      {with_fault(R"({ "at": "1s", "crash": 1, "every": "1s", "for": "2s" })"), "/faults/0/for"},
      {with_fault(R"({ "at": "1s", "crash": 1, "for": "0ms" })"), "/faults/0/for"},
      {with_fault(R"({ "at": "1s", "crash": 1, "every": "0s" })"), "/faults/0/every"},
      {with_fault(R"({ "at": "1s", "crash": 1, "until": "5s" })"), "/faults/0/until"},
      {with_fault(R"({ "at": "5s", "crash": 1, "every": "1s", "until": "5s" })"),
       "/faults/0/until"},
      {with_fault(R"({ "at": "1s", "crash": 1, "oneway": true })"), "/faults/0/oneway"},
      {with_fault(R"({ "at": "1s", "cut": [[1, 2]], "oneway": "yes" })"), "/faults/0/oneway"},
      {with_fault(R"({ "at": "1s", "crash": 1, "jitter": "-1ms" })"), "/faults/0/jitter"},
      {with_fault(R"({ "at": "1s", "crash": 1 }, { "at": "x", "crash": 1 })"), "/faults/1/at"},
      // nemesis and checks
      {minimal_with(R"("nemesis": { "bogus": 1 })"), "/nemesis/bogus"},
      {minimal_with(R"("nemesis": { "crash_rate_per_s": -1 })"), "/nemesis/crash_rate_per_s"},
      {minimal_with(R"("nemesis": true)"), "/nemesis"},
      {minimal_with(R"("checks": { "bogus": true })"), "/checks/bogus"},
      {minimal_with(R"("checks": { "safety": "yes" })"), "/checks/safety"},
      {minimal_with(R"("checks": { "liveness": true })"), "/checks/liveness"},
      {minimal_with(R"("checks": { "liveness": {} })"), "/checks/liveness/within"},
      {minimal_with(R"("checks": { "liveness": { "within": "0s" } })"), "/checks/liveness/within"},
      {minimal_with(R"("checks": { "liveness": { "within": "1s", "x": 1 } })"),
       "/checks/liveness/x"},
      {minimal_with(R"("checks": { "split_brain_grace": "soon" })"), "/checks/split_brain_grace"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(rejected_at(c.text) == c.pointer);
  }
}

// nlohmann reads a non-negative integer as "unsigned"; the lower bound must
// hold on that path too (nodes 0 was once accepted).
TEST_CASE("nodes 0 is rejected, from the file, --set and --nodes", "[validation]") {
  CHECK(rejected_at(R"({ "algorithm": "raft", "nodes": 0, "duration": "10s" })") == "/nodes");
  CHECK(rejected_at(minimal_with(""), sets({"nodes=0"})) == "/nodes");
  Overrides zero;
  zero.nodes = 0;
  CHECK(rejected_at(minimal_with(""), zero) == "/nodes");
  // The same reader holds integer params to their minimum.
  CHECK_THROWS_AS(input::read_integer(json::parse("0"), "/x", 1, 10), InputError);
}

TEST_CASE("a pointer escapes / and ~ in keys (RFC 6901)", "[validation]") {
  CHECK(rejected_at(minimal_with(R"("a/b~c": 1)")) == "/a~1b~0c");
}

TEST_CASE("option --set overrides fields before validation", "[validation]") {
  SECTION("numbers, strings and booleans") {
    const Scenario s =
        scenario_from_text(minimal_with(R"("network": { "loss": 0.1 })"),
                           sets({"network.loss=0.2", "name=hello world", "params.prevote=true",
                                 "nodes=7", "description=\"quoted\""}));
    CHECK(s.network.defaults.loss_probability == 0.2);
    CHECK(s.name == "hello world");  // not JSON: taken as a string
    CHECK(s.description == "quoted");
    CHECK(s.params["prevote"] == true);
    CHECK(s.nodes == 7);
  }
  SECTION("arrays by index") {
    const Scenario s = scenario_from_text(
        minimal_with(R"("faults": [ { "at": "1s", "crash": 1 }, { "at": "2s", "crash": [1, 2] } ],
                        "params": { "election_timeout": ["150ms", "300ms"] })"),
        sets({"faults.1.at=3s", "faults.1.crash.1=5", "params.election_timeout.1=400ms"}));
    CHECK(s.faults[1].at == 3 * kSecond);
    CHECK(s.faults[1].target.ids == std::vector<NodeId>{1, 5});
    CHECK(s.params["election_timeout"] == json::array({150'000, 400'000}));
    CHECK(s.faults[0].at == 1 * kSecond);
  }
  SECTION("whole values as JSON") {
    const Scenario s = scenario_from_text(
        minimal_with(""), sets({R"(faults=[{"at":"1s","isolate":2}])",
                                R"(network.delay={"distribution":"constant","value":"3ms"})"}));
    REQUIRE(s.faults.size() == 1);
    CHECK(s.faults[0].action == FaultAction::isolate);
    CHECK(s.network.defaults.delay.kind == DelaySpec::Kind::constant);
    CHECK(s.network.defaults.delay.a == 3000);
  }
  SECTION("missing objects are created") {
    const Scenario s =
        scenario_from_text(minimal_with(""), sets({"network.loss=0.3", "checks.liveness.within=3s",
                                                   "params_by_algorithm.raft.heartbeat=30ms"}));
    CHECK(s.network.defaults.loss_probability == 0.3);
    CHECK(s.checks.liveness_within == 3 * kSecond);
    CHECK(s.params["heartbeat"] == 30'000);
  }
  SECTION("later assignments win") {
    const Scenario s = scenario_from_text(minimal_with(""), sets({"seed=3", "seed=4"}));
    CHECK(s.seed == 4);
  }
  SECTION("the result is validated like a file") {
    CHECK(rejected_at(minimal_with(""), sets({"network.loss=1.5"})) == "/network/loss");
    CHECK(rejected_at(minimal_with(""), sets({"nodes=five"})) == "/nodes");  // a string
    CHECK(rejected_at(minimal_with(""), sets({"bogus=1"})) == "/bogus");
    CHECK(rejected_at(minimal_with(""), sets({"params.bogus=1"})) == "/params/bogus");
  }
  SECTION("bad assignments name the --set") {
    CHECK(rejected_at(minimal_with(""), sets({"network.loss"})).rfind("--set", 0) == 0);
    CHECK(rejected_at(minimal_with(""), sets({"=1"})).rfind("--set", 0) == 0);
    CHECK(rejected_at(minimal_with(""), sets({"network..loss=1"})).rfind("--set", 0) == 0);
    CHECK(rejected_at(minimal_with(R"("faults": [ { "at": "1s", "crash": 1 } ])"),
                      sets({"faults.3.at=1s"}))
              .rfind("--set", 0) == 0);
    CHECK(rejected_at(minimal_with(R"("faults": [ { "at": "1s", "crash": 1 } ])"),
                      sets({"faults.x.at=1s"}))
              .rfind("--set", 0) == 0);
    CHECK(rejected_at(minimal_with(""), sets({"nodes.x=1"})).rfind("--set", 0) == 0);
  }
}

TEST_CASE("options --seed, --nodes, --duration and --algorithm apply before validation",
          "[validation]") {
  Overrides o;
  o.seed = 99;
  o.nodes = 3;
  o.duration = "2s";
  const Scenario s = scenario_from_text(minimal_with(R"("seed": 5)"), o);
  CHECK(s.seed == 99);
  CHECK(s.nodes == 3);
  CHECK(s.duration == 2 * kSecond);
  Overrides bad_duration;
  bad_duration.duration = "forever";
  CHECK(rejected_at(minimal_with(""), bad_duration) == "/duration");
  Overrides bad_algorithm;
  bad_algorithm.algorithm = "nope";
  CHECK(rejected_at(minimal_with(""), bad_algorithm) == "/algorithm");
  // Fewer nodes make a fault's id out of range: checked after the override.
  Overrides two;
  two.nodes = 2;
  CHECK(rejected_at(with_fault(R"({ "at": "1s", "crash": 3 })"), two) == "/faults/0/crash");
}

TEST_CASE("params_by_algorithm: precedence for the file's own algorithm", "[validation]") {
  const std::string text = minimal_with(R"(
    "params": { "heartbeat": "50ms", "prevote": true },
    "params_by_algorithm": { "raft": { "heartbeat": "20ms", "check_quorum": true } })");
  const Scenario s = scenario_from_text(text);
  CHECK(s.params["heartbeat"] == 20'000);    // params_by_algorithm.raft wins
  CHECK(s.params["prevote"] == true);        // params still apply
  CHECK(s.params["check_quorum"] == true);   // and so does the by-algorithm layer
  CHECK(s.params["persist_state"] == true);  // default
  CHECK(s.params_for("raft", registry()) == s.params);
  CHECK_THROWS_AS(s.params_for("nope", registry()), InputError);
}

TEST_CASE("params_by_algorithm for another algorithm, and params kept for the file's",
          "[validation]") {
  if (registry().find("bully") == nullptr) return;  // bully not registered in this build
  const std::string text = minimal_with(R"(
    "params": { "election_timeout": ["100ms", "200ms"] },
    "params_by_algorithm": { "bully": { "answer_timeout": "50ms" } })");
  const Scenario s = scenario_from_text(text);
  const json bully = s.params_for("bully", registry());
  CHECK(bully["answer_timeout"] == 50'000);
  CHECK_FALSE(bully.contains("election_timeout"));  // raft's params are not bully's
  // run --algorithm bully: the file's params stay raft's and are not checked against bully.
  Overrides o;
  o.algorithm = "bully";
  const Scenario as_bully = scenario_from_text(text, o);
  CHECK(as_bully.algorithm == "bully");
  CHECK(as_bully.params["answer_timeout"] == 50'000);
  // Keys are still checked against their own algorithm.
  CHECK(rejected_at(minimal_with(R"("params_by_algorithm": { "bully": { "heartbeat_ms": 1 } })")) ==
        "/params_by_algorithm/bully/heartbeat_ms");
}

TEST_CASE("comments are allowed in scenario files", "[validation]") {
  const std::string directory = temporary_directory();
  const std::string path = directory + "/commented.json";
  std::ofstream(path) << R"(// a scenario with comments
{
  /* block comment */
  "algorithm": "raft", // line comment
  "nodes": 3,
  "duration": "1s" /* trailing */
}
)";
  const Scenario s = load_scenario(path, {}, registry());
  CHECK(s.nodes == 3);
  CHECK(s.file == path);
  std::remove(path.c_str());
  std::remove(directory.c_str());
}

// nlohmann keeps the last of two equal keys; the loader must not silently
// drop the first (DESIGN.md: "Nothing is silently ignored").
TEST_CASE("a key given twice is an error", "[validation]") {
  const std::string directory = temporary_directory();
  const std::string path = directory + "/twice.json";
  std::ofstream(path) << R"({ "algorithm": "raft", "nodes": 3, "duration": "1s", "nodes": 5 })";
  std::string pointer = "(accepted)";
  try {
    load_scenario(path, {}, registry());
  } catch (const InputError& e) {
    pointer = e.pointer();
  }
  CHECK(pointer == "/nodes");
  std::remove(path.c_str());
  std::remove(directory.c_str());
}

TEST_CASE("files that cannot be read or parsed", "[validation]") {
  const std::string directory = temporary_directory();
  const std::string path = directory + "/broken.json";
  std::ofstream(path) << R"({ "algorithm": "raft", "nodes": 3, )";
  try {
    load_scenario(path, {}, registry());
    FAIL("accepted");
  } catch (const InputError& e) {
    CHECK(e.pointer().empty());
    CHECK(std::string(e.what()).find("malformed JSON") != std::string::npos);
  }
  std::remove(path.c_str());
  CHECK_THROWS_AS(load_scenario(directory + "/missing.json", {}, registry()), InputError);
  std::remove(directory.c_str());
}
