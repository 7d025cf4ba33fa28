// The virtual network and the fault schedule (sim/network.*, sim/simulation.hpp,
// sim/fault_targets.*), against DESIGN.md's fault actions. Three layers:
// - the Network class on its own (blocking rules, per-link settings);
// - a "pinger" node run by the real Simulation loop: every node broadcasts a
//   numbered Ping every 10 ms over links with a constant 1 ms delay, so the
//   trace shows exactly which links each fault blocks, and when;
// - small Raft scenarios, for the faults that need an election (the
//   "leader" target, durable state, stale messages to a crashed leader).
#include "sim/network.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "algorithms/registry.hpp"
#include "cli/runner.hpp"
#include "sim/fault_targets.hpp"
#include "sim/simulation.hpp"
#include "tests/test_support.hpp"

using namespace electsim;
using namespace electsim::testing;
using nlohmann::json;

// --- the pinger ----------------------------------------------------------------

namespace pinger {

struct Message {
  std::uint64_t count = 0;  // the sender's tick number: (from, to, count) names a message
  std::uint8_t kind() const { return 0; }
  Term term() const { return count; }
  bool operator==(const Message&) const = default;
};

struct Durable {
  std::uint64_t count = 0;
  bool operator==(const Durable&) const = default;
};

struct Config {
  Time period = 10 * kMillisecond;
  NodeId leader = kNoNode;  // this node reports itself leader (term 1) from its start
};

class Node {
 public:
  using Message = pinger::Message;
  using Durable = pinger::Durable;
  using Config = pinger::Config;
  using Ctx = Context<Message, Durable>;
  static constexpr std::array<std::string_view, 1> kMessageNames = {"Ping"};
  static constexpr std::array<std::string_view, 1> kTimerNames = {"tick"};

  Node(const Config& config, NodeId self, std::uint32_t) : config_(config), self_(self) {}
  void on_start(Ctx& ctx, const Durable* disk) {
    if (disk != nullptr) count_ = disk->count;  // durable: survives a crash
    if (config_.leader == self_) ctx.report(Role::leader, 1, self_);
    ctx.set_timer(0, config_.period);
  }
  void on_message(Ctx&, NodeId, const Message&) {}
  void on_timer(Ctx& ctx, TimerId) {
    ++count_;
    ctx.persist(Durable{count_});
    ctx.broadcast(Message{count_});
    ctx.set_timer(0, config_.period);
  }
  void on_campaign(Ctx& ctx) { ctx.report(Role::leader, 1, self_); }

 private:
  Config config_;
  NodeId self_;
  std::uint64_t count_ = 0;
};

}  // namespace pinger

namespace {

std::vector<json> parse_jsonl(const std::string& text) {
  std::vector<json> events;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line))
    if (!line.empty()) events.push_back(json::parse(line));
  return events;
}

std::string read_all(std::FILE* file) {
  std::fflush(file);
  std::rewind(file);
  std::string text;
  char buffer[65536];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, n);
  return text;
}

struct PingerRun {
  RunRecord record;
  std::vector<json> events;
};

// A pinger scenario: `nodes` nodes, 1 s, constant 1 ms links, these faults.
json pinger_scenario(const json& faults, std::uint32_t nodes = 4,
                     const json& network = json::object()) {
  json scenario = {{"algorithm", "raft"},
                   {"nodes", nodes},
                   {"duration", "1s"},
                   {"network", {{"delay", {{"distribution", "constant"}, {"value", "1ms"}}}}},
                   {"faults", faults}};
  for (const auto& [key, value] : network.items()) scenario["network"][key] = value;
  return scenario;
}

PingerRun run_pinger(const json& scenario_json, const pinger::Config& config = {}) {
  const Scenario scenario = scenario_from_text(scenario_json.dump());
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  PingerRun run;
  {
    Trace trace;
    trace.write_to(file);
    Simulation<pinger::Node> simulation(scenario, config, trace);
    run.record = simulation.run();
  }
  run.events = parse_jsonl(read_all(file));
  std::fclose(file);
  return run;
}

struct TracedRun {
  json result;
  std::vector<json> events;
};

// A real run of the scenario's algorithm (Raft here), with its JSONL trace.
TracedRun run_traced(const std::string& scenario_text) {
  const Scenario scenario = scenario_from_text(scenario_text);
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  TracedRun run;
  run.result = run_scenario(RunRequest{&scenario, "", file, {}});
  run.events = parse_jsonl(read_all(file));
  std::fclose(file);
  return run;
}

// One send and what became of it: "" if it was queued, else the drop reason.
struct Send {
  std::size_t index = 0;  // position in the trace
  Time t = 0;
  NodeId from = 0, to = 0;
  std::uint64_t term = 0;
  std::string type, dropped;
};

// Drops at send time follow their send line directly (Simulation::send_one).
std::vector<Send> sends_of(const std::vector<json>& events) {
  std::vector<Send> sends;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const json& e = events[i];
    if (e["ev"] != "send") continue;
    Send s{i,
           e["t_us"].get<Time>(),
           e["from"].get<NodeId>(),
           e["to"].get<NodeId>(),
           e["term"].get<std::uint64_t>(),
           e["type"].get<std::string>(),
           ""};
    if (i + 1 < events.size()) {
      const json& next = events[i + 1];
      if (next["ev"] == "drop" && next["t_us"] == e["t_us"] && next["from"] == e["from"] &&
          next["to"] == e["to"])
        s.dropped = next["reason"].get<std::string>();
    }
    sends.push_back(s);
  }
  return sends;
}

// Trace index of the fault line of entry `origin` (the undo line if `undo`),
// the `occurrence`-th such line.
std::size_t fault_line(const std::vector<json>& events, const std::string& origin,
                       bool undo = false, int occurrence = 0) {
  for (std::size_t i = 0; i < events.size(); ++i) {
    const json& e = events[i];
    if (e["ev"] == "fault" && e.value("entry", "") == origin && e.value("undo", false) == undo &&
        occurrence-- == 0)
      return i;
  }
  FAIL("no fault line for " << origin << (undo ? " (undo)" : ""));
  return 0;
}

std::vector<json> lines_with(const std::vector<json>& events, const std::string& ev) {
  std::vector<json> out;
  for (const json& e : events)
    if (e["ev"] == ev) out.push_back(e);
  return out;
}

// Checks that, for sends between trace lines [begin, end), a link is blocked
// ("partition" drop) exactly when `blocked(from, to)`; outside that window
// nothing is blocked. Also requires traffic on every link in the window.
template <class Blocked>
void check_blocking(const std::vector<json>& events, std::size_t begin, std::size_t end,
                    Blocked blocked, std::uint32_t nodes) {
  std::set<std::pair<NodeId, NodeId>> seen;
  for (const Send& s : sends_of(events)) {
    INFO("send " << s.from << " -> " << s.to << " at " << s.t << "us, dropped \"" << s.dropped
                 << "\"");
    const bool inside = s.index > begin && s.index < end;
    const bool expect_blocked = inside && blocked(s.from, s.to);
    CHECK((s.dropped == "partition") == expect_blocked);
    if (inside) seen.insert({s.from, s.to});
  }
  CHECK(seen.size() == static_cast<std::size_t>(nodes) * (nodes - 1));
}

std::set<NodeId> group_of(const std::vector<std::set<NodeId>>& groups, NodeId id) {
  for (const auto& g : groups)
    if (g.count(id)) return g;
  return {};
}

}  // namespace

// --- the Network class on its own ---------------------------------------------------

TEST_CASE("a partition rule blocks across groups only, unlisted nodes are one more group",
          "[network]") {
  // Nodes 1..6: groups {1, 2} and {3}; 4, 5, 6 are unlisted (label 0).
  BlockRule rule{1, BlockRule::Kind::partition, {0, 1, 1, 2, 0, 0, 0}, {}, {}};
  const std::vector<std::set<NodeId>> groups = {{1, 2}, {3}, {4, 5, 6}};
  for (NodeId a = 1; a <= 6; ++a)
    for (NodeId b = 1; b <= 6; ++b) {
      if (a == b) continue;
      INFO(a << " -> " << b);
      CHECK(rule.blocks(a, b) == (group_of(groups, a) != group_of(groups, b)));
    }
}

TEST_CASE("isolate and cut rules", "[network]") {
  const BlockRule isolate{1, BlockRule::Kind::isolate, {}, {2, 4}, {}};
  for (NodeId a = 1; a <= 5; ++a)
    for (NodeId b = 1; b <= 5; ++b)
      if (a != b) CHECK(isolate.blocks(a, b) == (a == 2 || a == 4 || b == 2 || b == 4));
  const BlockRule cut{1, BlockRule::Kind::cut, {}, {}, {{1, 2}, {3, 1}}};
  CHECK(cut.blocks(1, 2));
  CHECK_FALSE(cut.blocks(2, 1));
  CHECK(cut.blocks(3, 1));
  CHECK_FALSE(cut.blocks(1, 3));
}

TEST_CASE("removing one owner's rules keeps the others, heal removes all", "[network]") {
  NetworkSpec spec;
  Network network(spec, 4, 1);
  CHECK_FALSE(network.blocked(1, 2));
  network.add_rule(BlockRule{7, BlockRule::Kind::cut, {}, {}, {{1, 2}, {2, 1}}});
  network.add_rule(
      BlockRule{8, BlockRule::Kind::partition, {0, 1, 1, 0, 0}, {}, {}});  // {1, 2} | {3, 4}
  CHECK(network.blocked(1, 2));
  CHECK(network.blocked(1, 3));
  network.remove_rules_of(8);
  CHECK(network.blocked(1, 2));  // the cut still holds
  CHECK_FALSE(network.blocked(1, 3));
  network.add_rule(BlockRule{9, BlockRule::Kind::isolate, {}, {4}, {}});
  CHECK(network.blocked(3, 4));
  network.heal();
  for (NodeId a = 1; a <= 4; ++a)
    for (NodeId b = 1; b <= 4; ++b) CHECK_FALSE(network.blocked(a, b));
}

TEST_CASE("per-link overrides apply to their link, both ways unless oneway", "[network]") {
  NetworkSpec spec;
  spec.defaults.delay = DelaySpec{DelaySpec::Kind::constant, 1000, 0, 0};
  LinkOverride both;
  both.from = 1;
  both.to = 2;
  both.loss_probability = 1.0;
  LinkOverride oneway;
  oneway.from = 3;
  oneway.to = 4;
  oneway.oneway = true;
  oneway.delay = DelaySpec{DelaySpec::Kind::constant, 7000, 0, 0};
  spec.links = {both, oneway};
  Network network(spec, 4, 1);
  CHECK(network.settings(1, 2).loss_probability == 1.0);
  CHECK(network.settings(2, 1).loss_probability == 1.0);
  CHECK(network.settings(1, 3) == spec.defaults);
  CHECK(network.settings(3, 4).delay.a == 7000);
  CHECK(network.settings(3, 4).loss_probability == 0.0);
  CHECK(network.settings(4, 3) == spec.defaults);
  for (int i = 0; i < 100; ++i) {
    CHECK(network.decide(1, 2).lost);
    CHECK(network.decide(2, 1).lost);
    CHECK(network.decide(3, 4).delay == 7000);
    CHECK(network.decide(4, 3).delay == 1000);
    CHECK_FALSE(network.decide(1, 3).lost);
  }
  // A `network` change moves the defaults; the override keeps the field it sets.
  NetworkChange change;
  change.delay = DelaySpec{DelaySpec::Kind::constant, 2000, 0, 0};
  network.add_change(1, change);
  CHECK(network.decide(1, 3).delay == 2000);
  CHECK(network.decide(3, 4).delay == 7000);
  CHECK(network.decide(1, 2).lost);
  network.remove_change(1);
  CHECK(network.defaults() == spec.defaults);
  CHECK(network.decide(1, 3).delay == 1000);
}

TEST_CASE("overlapping network changes: removing one keeps the other's fields", "[network]") {
  NetworkSpec spec;
  spec.defaults.delay = DelaySpec{DelaySpec::Kind::constant, 1000, 0, 0};
  Network network(spec, 3, 1);
  NetworkChange slow, lossy, slower;
  slow.delay = DelaySpec{DelaySpec::Kind::constant, 5000, 0, 0};
  lossy.loss_probability = 0.5;
  slower.delay = DelaySpec{DelaySpec::Kind::constant, 9000, 0, 0};
  network.add_change(1, slow);
  network.add_change(2, lossy);  // keeps the 5ms delay: fields not given keep their values
  CHECK(network.defaults().delay.a == 5000);
  CHECK(network.defaults().loss_probability == 0.5);
  network.remove_change(1);  // the loss stays, the delay goes back
  CHECK(network.defaults().delay.a == 1000);
  CHECK(network.defaults().loss_probability == 0.5);
  network.add_change(3, slower);
  network.remove_change(2);
  CHECK(network.defaults().delay.a == 9000);
  CHECK(network.defaults().loss_probability == 0.0);
  network.remove_change(3);
  CHECK(network.defaults() == spec.defaults);
}

TEST_CASE("loss 1 drops everything, duplicate 1 duplicates everything", "[network]") {
  NetworkSpec spec;
  spec.defaults.loss_probability = 1.0;
  Network lossy(spec, 3, 5);
  for (int i = 0; i < 1000; ++i) CHECK(lossy.decide(1 + i % 2, 3).lost);
  spec.defaults.loss_probability = 0.0;
  spec.defaults.duplicate_probability = 1.0;
  Network doubling(spec, 3, 5);
  for (int i = 0; i < 1000; ++i) {
    const LinkDecision d = doubling.decide(2, 1);
    CHECK_FALSE(d.lost);
    CHECK(d.duplicated);
    CHECK(d.duplicate_delay >= 1000);  // the default uniform [1ms, 10ms]
    CHECK(d.duplicate_delay <= 10'000);
  }
}

TEST_CASE("each directed link draws from its own stream", "[network]") {
  NetworkSpec spec;  // uniform [1ms, 10ms]
  spec.defaults.delay = DelaySpec{DelaySpec::Kind::uniform, 1000, 10'000, 0};
  Network quiet(spec, 3, 9), busy(spec, 3, 9);
  std::vector<Time> a, b;
  for (int i = 0; i < 50; ++i) {
    a.push_back(quiet.decide(1, 2).delay);
    busy.decide(1, 3);  // traffic elsewhere must not move 1 -> 2's draws
    busy.decide(2, 1);
    b.push_back(busy.decide(1, 2).delay);
  }
  CHECK(a == b);
  Network other_seed(spec, 3, 10);
  std::vector<Time> c;
  for (int i = 0; i < 50; ++i) c.push_back(other_seed.decide(1, 2).delay);
  CHECK(a != c);
}

// --- faults through the simulation loop, with the pinger ------------------------------

TEST_CASE("the pinger baseline: every link carries traffic and nothing is dropped", "[network]") {
  const PingerRun run = run_pinger(pinger_scenario(json::array()));
  const std::vector<Send> sends = sends_of(run.events);
  CHECK(sends.size() == 99 * 4 * 3);  // ticks at 10ms .. 990ms
  for (const Send& s : sends) CHECK(s.dropped.empty());
  CHECK(run.record.messages.delivered == run.record.messages.sent);
  CHECK(run.record.messages.dropped == 0);
}

TEST_CASE("partition blocks across groups only, unlisted nodes forming one more group",
          "[network]") {
  const PingerRun run =
      run_pinger(pinger_scenario(json::array({{{"at", "100ms"}, {"partition", {{1, 2}, {3}}}},
                                              {{"at", "300ms"}, {"heal", true}}}),
                                 5));
  const std::vector<std::set<NodeId>> groups = {{1, 2}, {3}, {4, 5}};
  check_blocking(
      run.events, fault_line(run.events, "/faults/0"), fault_line(run.events, "/faults/1"),
      [&](NodeId a, NodeId b) { return group_of(groups, a) != group_of(groups, b); }, 5);
}

TEST_CASE("isolate cuts a node off both ways", "[network]") {
  const PingerRun run = run_pinger(
      pinger_scenario(json::array({{{"at", "100ms"}, {"isolate", 3}, {"for", "200ms"}}})));
  check_blocking(
      run.events, fault_line(run.events, "/faults/0"), fault_line(run.events, "/faults/0", true),
      [](NodeId a, NodeId b) { return a == 3 || b == 3; }, 4);
}

TEST_CASE("cut blocks both ways, oneway blocks only a -> b", "[network]") {
  SECTION("both ways") {
    const PingerRun run = run_pinger(pinger_scenario(
        json::array({{{"at", "100ms"}, {"cut", {{1, 2}, {3, 4}}}, {"for", "200ms"}}})));
    check_blocking(
        run.events, fault_line(run.events, "/faults/0"), fault_line(run.events, "/faults/0", true),
        [](NodeId a, NodeId b) {
          return (a == 1 && b == 2) || (a == 2 && b == 1) || (a == 3 && b == 4) ||
                 (a == 4 && b == 3);
        },
        4);
  }
  SECTION("one way") {
    const PingerRun run = run_pinger(pinger_scenario(json::array(
        {{{"at", "100ms"}, {"cut", {{1, 2}, {4, 3}}}, {"oneway", true}, {"for", "200ms"}}})));
    check_blocking(
        run.events, fault_line(run.events, "/faults/0"), fault_line(run.events, "/faults/0", true),
        [](NodeId a, NodeId b) { return (a == 1 && b == 2) || (a == 4 && b == 3); }, 4);
  }
}

TEST_CASE("heal restores every link, whatever blocked it", "[network]") {
  const PingerRun run =
      run_pinger(pinger_scenario(json::array({{{"at", "100ms"}, {"partition", {{1}, {2}}}},
                                              {{"at", "110ms"}, {"isolate", 3}},
                                              {{"at", "120ms"}, {"cut", {{4, 2}}}},
                                              {{"at", "200ms"}, {"heal", true}}})));
  const std::size_t heal = fault_line(run.events, "/faults/3");
  for (const Send& s : sends_of(run.events)) {
    if (s.index > heal) CHECK(s.dropped.empty());
    if (s.index < fault_line(run.events, "/faults/0")) CHECK(s.dropped.empty());
  }
  // While all three hold every link is blocked: the partition 1 | 2 | {3, 4}
  // leaves only 3 <-> 4, and 3 is isolated.
  const std::size_t all_hold = fault_line(run.events, "/faults/2");
  for (const Send& s : sends_of(run.events))
    if (s.index > all_hold && s.index < heal) CHECK(s.dropped == "partition");
}

TEST_CASE("`for` restores only the links its own entry blocked", "[network]") {
  // A partition {1, 2} | {3, 4} from 100ms to 300ms and a cut 1 <-> 3 from
  // 200ms to 500ms: from 300ms to 500ms only the cut holds.
  const PingerRun run = run_pinger(
      pinger_scenario(json::array({{{"at", "100ms"}, {"partition", {{1, 2}}}, {"for", "200ms"}},
                                   {{"at", "200ms"}, {"cut", {{1, 3}}}, {"for", "300ms"}}})));
  const std::size_t partition_on = fault_line(run.events, "/faults/0");
  const std::size_t cut_on = fault_line(run.events, "/faults/1");
  const std::size_t partition_off = fault_line(run.events, "/faults/0", true);
  const std::size_t cut_off = fault_line(run.events, "/faults/1", true);
  REQUIRE(partition_on < cut_on);
  REQUIRE(cut_on < partition_off);
  REQUIRE(partition_off < cut_off);
  std::size_t cut_only_drops = 0;
  for (const Send& s : sends_of(run.events)) {
    INFO("send " << s.from << " -> " << s.to << " at " << s.t);
    const bool across = (s.from <= 2) != (s.to <= 2);
    const bool cut_link = (s.from == 1 && s.to == 3) || (s.from == 3 && s.to == 1);
    bool blocked = false;
    if (s.index > partition_on && s.index < partition_off && across) blocked = true;
    if (s.index > cut_on && s.index < cut_off && cut_link) blocked = true;
    CHECK((s.dropped == "partition") == blocked);
    cut_only_drops += s.index > partition_off && s.index < cut_off && s.dropped == "partition";
  }
  CHECK(cut_only_drops == 2 * 20);  // 1 -> 3 and 3 -> 1, ticks at 300ms .. 490ms
}

TEST_CASE("two overlapping partitions: undoing one keeps the other", "[network]") {
  const PingerRun run = run_pinger(
      pinger_scenario(json::array({{{"at", "100ms"}, {"partition", {{1, 2}}}, {"for", "100ms"}},
                                   {{"at", "150ms"}, {"partition", {{1, 2}}}, {"for", "200ms"}}})));
  check_blocking(
      run.events, fault_line(run.events, "/faults/0"), fault_line(run.events, "/faults/1", true),
      [](NodeId a, NodeId b) { return (a <= 2) != (b <= 2); }, 4);
}

TEST_CASE("loss 1.0 drops every message", "[network]") {
  const PingerRun run = run_pinger(pinger_scenario(json::array(), 3, {{"loss", 1.0}}));
  CHECK(run.record.messages.sent > 0);
  CHECK(run.record.messages.dropped == run.record.messages.sent);
  CHECK(run.record.messages.delivered == 0);
  for (const Send& s : sends_of(run.events)) CHECK(s.dropped == "loss");
}

TEST_CASE("duplicate 1.0 duplicates every message", "[network]") {
  // Constant 1 ms delay and the last tick at 990ms: every copy arrives before the end.
  const PingerRun run = run_pinger(pinger_scenario(json::array(), 3, {{"duplicate", 1.0}}));
  const MessageCounts& m = run.record.messages;
  CHECK(m.sent == 99 * 3 * 2);
  CHECK(m.duplicated == m.sent);
  CHECK(m.delivered == 2 * m.sent);
  CHECK(m.dropped == 0);
  // Each (from, to, count) is delivered exactly twice.
  std::map<std::tuple<NodeId, NodeId, std::uint64_t>, int> copies;
  for (const json& e : lines_with(run.events, "deliver"))
    ++copies[{e["from"].get<NodeId>(), e["to"].get<NodeId>(), e["term"].get<std::uint64_t>()}];
  CHECK(copies.size() == m.sent);
  for (const auto& [key, n] : copies) CHECK(n == 2);
}

TEST_CASE("duplicate 1.0 with Raft: every message that is not dropped is duplicated", "[network]") {
  const json result = run_text(R"({
    "algorithm": "raft", "nodes": 5, "duration": "3s", "seed": 3,
    "network": { "duplicate": 1.0 } })");
  const json& m = result["messages"];
  CHECK(m["sent"].get<int>() > 100);
  CHECK(m["dropped"] == 0);
  CHECK(m["duplicated"] == m["sent"]);
  // Copies still in flight at the end are neither delivered nor dropped.
  CHECK(m["delivered"].get<int>() <= 2 * m["sent"].get<int>());
  CHECK(m["delivered"].get<int>() >= 2 * m["sent"].get<int>() - 2 * 5 * 4);
}

TEST_CASE("per-link overrides in network.links apply to that link only", "[network]") {
  SECTION("both ways") {
    const PingerRun run = run_pinger(pinger_scenario(
        json::array(), 3, {{"links", json::array({{{"link", {1, 2}}, {"loss", 1.0}}})}}));
    for (const Send& s : sends_of(run.events)) {
      const bool on_link = (s.from == 1 && s.to == 2) || (s.from == 2 && s.to == 1);
      CHECK(s.dropped == (on_link ? "loss" : ""));
    }
  }
  SECTION("one way, and a delay override") {
    const PingerRun run = run_pinger(pinger_scenario(json::array(), 3, {{"links", json::parse(R"([
            { "link": [1, 2], "loss": 1.0, "oneway": true },
            { "link": [3, 1], "delay": { "distribution": "constant", "value": "4ms" } } ])")}}));
    std::map<std::tuple<NodeId, NodeId, std::uint64_t>, Time> sent_at;
    for (const Send& s : sends_of(run.events)) {
      CHECK(s.dropped == (s.from == 1 && s.to == 2 ? "loss" : ""));
      sent_at[{s.from, s.to, s.term}] = s.t;
    }
    for (const json& e : lines_with(run.events, "deliver")) {
      const NodeId from = e["from"], to = e["to"];
      const Time delay =
          e["t_us"].get<Time>() - sent_at.at({from, to, e["term"].get<std::uint64_t>()});
      const bool slow = (from == 3 && to == 1) || (from == 1 && to == 3);
      CHECK(delay == (slow ? 4000 : 1000));
    }
  }
}

TEST_CASE("a network fault changes delay and loss from its time on, and `for` reverts it",
          "[network]") {
  const PingerRun run = run_pinger(pinger_scenario(
      json::array({{{"at", "205ms"},
                    {"network", {{"delay", {{"distribution", "constant"}, {"value", "3ms"}}}}},
                    {"for", "300ms"}},
                   {{"at", "605ms"}, {"network", {{"loss", 1.0}}}, {"for", "100ms"}}})));
  std::map<std::tuple<NodeId, NodeId, std::uint64_t>, Time> sent_at;
  for (const Send& s : sends_of(run.events)) {
    sent_at[{s.from, s.to, s.term}] = s.t;
    CHECK(s.dropped == (s.t > 605'000 && s.t < 705'000 ? "loss" : ""));
  }
  std::size_t slow = 0;
  for (const json& e : lines_with(run.events, "deliver")) {
    const Time sent = sent_at.at(
        {e["from"].get<NodeId>(), e["to"].get<NodeId>(), e["term"].get<std::uint64_t>()});
    const Time delay = e["t_us"].get<Time>() - sent;
    INFO("sent at " << sent);
    // The loss change keeps the 1 ms delay restored at 505ms: fields not given keep their values.
    CHECK(delay == (sent > 205'000 && sent < 505'000 ? 3000 : 1000));
    slow += delay == 3000;
  }
  CHECK(slow == 30 * 4 * 3);  // ticks 210ms .. 500ms
}

TEST_CASE("a crash drops messages in flight to the node as stale, durable state survives",
          "[network]") {
  // Ticks at multiples of 10ms arrive 1ms later; node 2 crashes at 100.5ms,
  // while the pings sent at 100ms are in flight to it, and restarts at 300.5ms.
  const PingerRun run = run_pinger(
      pinger_scenario(json::array({{{"at", "100.5ms"}, {"crash", 2}, {"for", "200ms"}}})));
  std::size_t stale = 0, down = 0;
  for (const json& e : lines_with(run.events, "drop")) {
    CHECK(e["to"] == 2);
    if (e["reason"] == "stale") {
      ++stale;
      CHECK(e["t_us"] == 101'000);
    } else {
      CHECK(e["reason"] == "down");
      ++down;
      CHECK(e["t_us"].get<Time>() > 100'500);
      CHECK(e["t_us"].get<Time>() < 300'500);
    }
  }
  CHECK(stale == 3);
  CHECK(down == 3 * 20);  // ticks 110ms .. 300ms from nodes 1, 3, 4
  // Node 2 sent pings 1..10 before the crash; after its restart it goes on from 11.
  std::vector<std::uint64_t> counts;
  for (const Send& s : sends_of(run.events))
    if (s.from == 2 && s.to == 1) counts.push_back(s.term);
  REQUIRE(counts.size() > 11);
  CHECK(counts[9] == 10);
  CHECK(counts[10] == 11);
  for (const Send& s : sends_of(run.events))
    if (s.from == 2 && s.to == 1 && s.t > 300'500) {
      CHECK(s.term == 11);
      CHECK(s.t == 310'500);  // fresh timers from the restart
      break;
    }
  // No timer of node 2 fires while it is down.
  for (const json& e : lines_with(run.events, "timer"))
    if (e["node"] == 2) CHECK((e["t_us"].get<Time>() < 100'500 || e["t_us"].get<Time>() > 300'500));
}

TEST_CASE("pause defers timers and messages until resume", "[network]") {
  const PingerRun run = run_pinger(
      pinger_scenario(json::array({{{"at", "100.5ms"}, {"pause", 2}, {"for", "50ms"}}})));
  std::size_t delivered_at_resume = 0;
  for (const json& e : lines_with(run.events, "deliver")) {
    if (e["to"] != 2) continue;
    const Time t = e["t_us"];
    CHECK((t < 100'500 || t >= 150'500));
    delivered_at_resume += t == 150'500;
  }
  CHECK(delivered_at_resume == 5 * 3);  // pings sent at 100ms .. 140ms by nodes 1, 3, 4
  std::vector<Time> node2_ticks;
  for (const json& e : lines_with(run.events, "timer"))
    if (e["node"] == 2) node2_ticks.push_back(e["t_us"]);
  // 10 .. 100ms, then the tick due at 110ms fires at the resume, and the node
  // re-arms from there.
  REQUIRE(node2_ticks.size() > 12);
  CHECK(node2_ticks[9] == 100'000);
  CHECK(node2_ticks[10] == 150'500);
  CHECK(node2_ticks[11] == 160'500);
  // Nothing was dropped: a paused node is up.
  CHECK(run.record.messages.dropped == 0);
}

TEST_CASE("drift scales a node's timers", "[network]") {
  const PingerRun run = run_pinger(pinger_scenario(json::array(
      {{{"at", "100.5ms"}, {"drift", {{"node", 2}, {"rate", 2.0}}}, {"for", "100ms"}}})));
  std::vector<Time> node1, node2;
  for (const json& e : lines_with(run.events, "timer"))
    if (e["node"] == 1)
      node1.push_back(e["t_us"]);
    else if (e["node"] == 2)
      node2.push_back(e["t_us"]);
  // Node 1 untouched.
  for (std::size_t i = 0; i < node1.size(); ++i)
    CHECK(node1[i] == static_cast<Time>(i + 1) * 10'000);
  // Node 2: the timer set at 100ms still fires at 110ms; from then on every 5ms
  // until the undo at 200.5ms; the timer set at 200ms (5ms) fires at 205ms, then 10ms.
  auto fired = [&](Time t) { return std::find(node2.begin(), node2.end(), t) != node2.end(); };
  CHECK(fired(110'000));
  CHECK(fired(115'000));
  CHECK(fired(195'000));
  CHECK(fired(200'000));
  CHECK(fired(205'000));
  CHECK(fired(215'000));
  CHECK_FALSE(fired(210'000));
}

TEST_CASE("jitter moves a fault to a time from at to at + jitter", "[network]") {
  std::set<Time> times;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    json scenario = pinger_scenario(
        json::array({{{"at", "100ms"}, {"jitter", "50ms"}, {"crash", 1}, {"for", "10ms"}},
                     {{"at", "500ms"},
                      {"every", "100ms"},
                      {"until", "800ms"},
                      {"jitter", "20ms"},
                      {"isolate", 2},
                      {"for", "30ms"}}}));
    scenario["seed"] = seed;
    const PingerRun run = run_pinger(scenario);
    const Time crash_at = run.events[fault_line(run.events, "/faults/0")]["t_us"];
    CHECK(crash_at >= 100'000);
    CHECK(crash_at <= 150'000);
    times.insert(crash_at);
    for (int k = 0; k < 3; ++k) {
      const Time at = run.events[fault_line(run.events, "/faults/1", false, k)]["t_us"];
      CHECK(at >= 500'000 + k * 100'000);
      CHECK(at <= 520'000 + k * 100'000);
    }
  }
  CHECK(times.size() > 10);  // the jitter is drawn, not fixed
}

TEST_CASE("targets: ids, all, random, majority, minority", "[network]") {
  const std::uint32_t n = 7;
  auto crashed_by = [&](const json& target, std::uint64_t seed) {
    json scenario = pinger_scenario(json::array({{{"at", "100ms"}, {"crash", target}}}), n);
    scenario["seed"] = seed;
    const PingerRun run = run_pinger(scenario);
    std::vector<NodeId> crashed;
    for (const json& e : lines_with(run.events, "crash")) crashed.push_back(e["node"]);
    // The fault line names the same nodes.
    CHECK(run.events[fault_line(run.events, "/faults/0")]["nodes"]
              .get<std::vector<NodeId>>()
              .size() == crashed.size());
    return crashed;
  };
  CHECK(crashed_by(3, 1) == std::vector<NodeId>{3});
  CHECK(crashed_by(json::array({5, 2}), 1) == std::vector<NodeId>{5, 2});
  CHECK(crashed_by("all", 1) == std::vector<NodeId>{1, 2, 3, 4, 5, 6, 7});
  std::set<NodeId> random_picks;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    const std::vector<NodeId> one = crashed_by("random", seed);
    REQUIRE(one.size() == 1);
    CHECK(one[0] >= 1);
    CHECK(one[0] <= n);
    random_picks.insert(one[0]);
    const std::vector<NodeId> majority = crashed_by("majority", seed);
    CHECK(majority.size() == n / 2 + 1);
    CHECK(std::set<NodeId>(majority.begin(), majority.end()).size() == majority.size());
    const std::vector<NodeId> minority = crashed_by("minority", seed);
    CHECK(minority.size() == n - (n / 2 + 1));
  }
  CHECK(random_picks.size() >= 5);
}

TEST_CASE("majority and minority split the nodes", "[network]") {
  for (std::uint32_t n : {1u, 2u, 3u, 4u, 5u, 10u, 101u}) {
    Rng rng(n);
    const std::vector<NodeId> majority = draw_majority(rng, n);
    const std::vector<NodeId> minority = complement(majority, n);
    CHECK(majority.size() == n / 2 + 1);
    CHECK(majority.size() + minority.size() == n);
    CHECK(std::is_sorted(majority.begin(), majority.end()));
    std::set<NodeId> all(majority.begin(), majority.end());
    all.insert(minority.begin(), minority.end());
    CHECK(all.size() == n);
  }
}

TEST_CASE("random targets draw the same nodes whatever the algorithm does", "[network]") {
  // The pinger and Raft behave nothing alike, but the fault stream is theirs alike.
  const std::string text = R"({ "algorithm": "raft", "nodes": 5, "duration": "2s", "seed": 17,
    "faults": [ { "at": "300ms", "every": "300ms", "crash": "random", "for": "100ms" },
                { "at": "350ms", "isolate": "minority", "for": "100ms" } ] })";
  const TracedRun raft = run_traced(text);
  const PingerRun ping = run_pinger(json::parse(text));
  auto firings = [](const std::vector<json>& events) {
    std::vector<std::pair<Time, json>> out;
    for (const json& e : events)
      if (e["ev"] == "fault" && e.contains("entry"))
        out.emplace_back(e["t_us"].get<Time>(), e["nodes"]);
    return out;
  };
  CHECK(firings(raft.events) == firings(ping.events));
  CHECK(firings(raft.events).size() == 2 * 6 + 2);
}

TEST_CASE("the leader target", "[network]") {
  SECTION("crashes the node that leads") {
    pinger::Config config;
    config.leader = 3;
    const PingerRun run =
        run_pinger(pinger_scenario(json::array({{{"at", "100ms"}, {"crash", "leader"}}})), config);
    const std::vector<json> crashes = lines_with(run.events, "crash");
    REQUIRE(crashes.size() == 1);
    CHECK(crashes[0]["node"] == 3);
  }
  SECTION("with no leader the entry is skipped and its `for` does nothing") {
    const PingerRun run = run_pinger(
        pinger_scenario(json::array({{{"at", "100ms"}, {"crash", "leader"}, {"for", "100ms"}}})));
    CHECK(lines_with(run.events, "crash").empty());
    const json& line = run.events[fault_line(run.events, "/faults/0")];
    CHECK(line["skipped"] == true);
    CHECK(line["nodes"].empty());
    for (const json& e : lines_with(run.events, "fault")) CHECK_FALSE(e.value("undo", false));
    REQUIRE(run.record.faults.size() == 1);
    CHECK(run.record.faults[0].skipped);
  }
  SECTION("the live leader with the highest term, with Raft") {
    const TracedRun run =
        run_traced(R"({ "algorithm": "raft", "nodes": 5, "duration": "5s", "seed": 2,
      "faults": [ { "at": "2s", "crash": "leader", "for": "1s" } ] })");
    const json& leaders = run.result["leaders"];
    REQUIRE(leaders.size() >= 2);
    NodeId leading_at_2s = 0;
    for (const json& l : leaders)
      if (l["from_us"].get<Time>() < 2 * kSecond && l["to_us"].get<Time>() >= 2 * kSecond)
        leading_at_2s = l["node"];
    REQUIRE(leading_at_2s != 0);
    const std::vector<json> crashes = lines_with(run.events, "crash");
    REQUIRE(crashes.size() == 1);
    CHECK(crashes[0]["node"] == leading_at_2s);
    CHECK(crashes[0]["t_us"] == 2 * kSecond);
    CHECK(run.result["faults"]["fired"] == 2);  // the crash and its undo
    CHECK(run.result["faults"]["skipped"] == 0);
  }
  SECTION("with Raft before any election: skipped") {
    const json result = run_text(R"({ "algorithm": "raft", "nodes": 5, "duration": "2s",
      "faults": [ { "at": "1ms", "crash": "leader", "for": "1s" } ] })");
    CHECK(result["faults"]["skipped"] == 1);
    CHECK(result["faults"]["fired"] == 0);
    CHECK(result["failovers"].empty());
  }
}

TEST_CASE("faults at or after the duration are counted as not reached", "[network]") {
  const json result = run_text(R"({ "algorithm": "raft", "nodes": 3, "duration": "1s",
    "faults": [ { "at": "500ms", "crash": 1, "for": "600ms" },
                { "at": "1s", "crash": 2 },
                { "at": "5s", "heal": true },
                { "at": "999999us", "isolate": 3 } ] })");
  // Fired: the crash at 500ms and the isolate; not reached: the crash's undo at
  // 1.1s, the crash at 1s and the heal at 5s.
  CHECK(result["faults"]["fired"] == 2);
  CHECK(result["faults"]["not_reached"] == 3);
}

TEST_CASE("`every` repeats until `until` (exclusive), each firing undone after `for`",
          "[network]") {
  const PingerRun run = run_pinger(pinger_scenario(json::array(
      {{{"at", "100ms"}, {"every", "100ms"}, {"until", "400ms"}, {"crash", 2}, {"for", "50ms"}},
       {{"at", "700ms"}, {"every", "100ms"}, {"isolate", 1}, {"for", "10ms"}}})));
  std::vector<Time> crashes, restarts;
  for (const json& e : lines_with(run.events, "crash")) crashes.push_back(e["t_us"]);
  for (const json& e : lines_with(run.events, "restart")) restarts.push_back(e["t_us"]);
  CHECK(crashes == std::vector<Time>{100'000, 200'000, 300'000});
  CHECK(restarts == std::vector<Time>{150'000, 250'000, 350'000});
  // Without `until`: 700, 800, 900ms, to the end of the run.
  std::vector<Time> isolations;
  for (const json& e : lines_with(run.events, "fault"))
    if (e.value("entry", "") == "/faults/1" && !e.value("undo", false))
      isolations.push_back(e["t_us"]);
  CHECK(isolations == std::vector<Time>{700'000, 800'000, 900'000});
  CHECK(run.record.faults_not_reached == 0);
}

// --- Raft through real runs -----------------------------------------------------------

TEST_CASE("Raft under a partition: no message crosses the groups until heal", "[network]") {
  const TracedRun run =
      run_traced(R"({ "algorithm": "raft", "nodes": 5, "duration": "6s", "seed": 4,
    "faults": [ { "at": "1s", "partition": [[1, 2]] }, { "at": "4s", "heal": true } ] })");
  const std::size_t on = fault_line(run.events, "/faults/0"),
                    off = fault_line(run.events, "/faults/1");
  std::size_t blocked = 0, within = 0;
  for (const Send& s : sends_of(run.events)) {
    const bool across = (s.from <= 2) != (s.to <= 2);
    const bool inside = s.index > on && s.index < off;
    if (inside && across) {
      CHECK(s.dropped == "partition");
      ++blocked;
    } else {
      CHECK(s.dropped != "partition");
      within += inside;
    }
  }
  CHECK(blocked > 0);
  CHECK(within > 0);
  CHECK(run.result["safety"]["ok"] == true);
  CHECK(run.result["liveness"]["ok"] == true);
}

TEST_CASE("Raft: messages in flight to a crashed leader are dropped as stale", "[network]") {
  // Twenty leader crashes: responses to heartbeats are in flight at some of them.
  const TracedRun run =
      run_traced(R"({ "algorithm": "raft", "nodes": 5, "duration": "21s", "seed": 6,
    "faults": [ { "at": "1s", "every": "1s", "crash": "leader", "for": "500ms" } ] })");
  std::size_t stale = 0;
  std::map<NodeId, std::vector<Time>> crashes;
  for (const json& e : lines_with(run.events, "crash")) crashes[e["node"]].push_back(e["t_us"]);
  for (const json& e : lines_with(run.events, "drop")) {
    if (e["reason"] != "stale") continue;
    ++stale;
    // The destination crashed at some time at or before this drop.
    const auto& times = crashes[e["to"].get<NodeId>()];
    CHECK(std::any_of(times.begin(), times.end(),
                      [&](Time t) { return t <= e["t_us"].get<Time>(); }));
  }
  CHECK(stale > 0);
  CHECK(run.result["messages"]["dropped"].get<std::size_t>() >= stale);
}

TEST_CASE("Raft: term and vote survive a restart (and the mutant forgets them)", "[network]") {
  // Crash every node at once at 2s, restart them at 2.5s: with persist_state
  // each comes back at the term it had; the mutant comes back at term 0.
  auto terms_kept_at_restart = [](bool persist) {
    const TracedRun run =
        run_traced(std::string(R"({ "algorithm": "raft", "nodes": 3, "duration": "3s", "seed": 5,
      "params": { "persist_state": )") +
                   (persist ? "true" : "false") + R"( },
      "faults": [ { "at": "2s", "crash": "all", "for": "500ms" } ] })");
    // The term each node had when it crashed, and the terms it reported at
    // its restart (the loop reports it up again, then the node reports what
    // it loaded from disk).
    std::map<NodeId, Term> term_at_crash;
    std::map<NodeId, std::vector<Term>> terms_at_restart;
    for (const json& e : run.events) {
      if (e["ev"] != "role") continue;
      if (e["t_us"].get<Time>() <= 2 * kSecond) term_at_crash[e["node"]] = e["term"];
      if (e["t_us"].get<Time>() == 2'500'000) terms_at_restart[e["node"]].push_back(e["term"]);
    }
    REQUIRE(term_at_crash.size() == 3);
    for (const auto& [node, term] : term_at_crash) CHECK(term > 0);
    bool all_kept = true;
    for (const auto& [node, terms] : terms_at_restart)
      for (Term t : terms) all_kept = all_kept && t == term_at_crash[node];
    return all_kept;
  };
  CHECK(terms_kept_at_restart(true));
  CHECK_FALSE(terms_kept_at_restart(false));
}
