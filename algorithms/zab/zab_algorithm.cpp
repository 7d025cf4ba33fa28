// ZAB's entry in the registry: its parameters, their defaults (DESIGN.md,
// Algorithm defaults; docs/algorithms/zab.md explains each value) and how to
// run it.
#include <fmt/format.h>

#include <string>

#include "algorithms/registry.hpp"
#include "algorithms/zab/zab_node.hpp"
#include "sim/errors.hpp"
#include "sim/simulation.hpp"

namespace electsim {

namespace {

// params.initial: {"ID": {"zxid": Z, "epoch": E}, ...}. Ids are 1..nodes;
// zxid and epoch are non-negative integers below 2^53 (exact in JSON); a
// node not listed starts with zxid 0 and epoch 0.
constexpr std::uint64_t kInitialMax = (std::uint64_t{1} << 53) - 1;

std::uint64_t initial_number(const nlohmann::json& value, const std::string& pointer) {
  if (!value.is_number_integer() ||
      (value.is_number_integer() && !value.is_number_unsigned() && value.get<std::int64_t>() < 0) ||
      value.get<std::uint64_t>() > kInitialMax)
    throw InputError(pointer, fmt::format("expected an integer from 0 to {}, got {}", kInitialMax,
                                          value.dump()));
  return value.get<std::uint64_t>();
}

NodeId initial_node_id(const std::string& key, const std::string& pointer, std::uint32_t nodes) {
  std::uint64_t id = 0;
  bool digits = !key.empty() && key.size() <= 6 && key[0] != '0';
  for (char c : key) {
    if (c < '0' || c > '9')
      digits = false;
    else
      id = id * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (!digits || id < 1 || id > nodes)
    throw InputError(
        pointer, fmt::format("expected a node id from 1 to {} as the key, got \"{}\"", nodes, key));
  return static_cast<NodeId>(id);
}

void check_initial(const nlohmann::json& value, const std::string& pointer, std::uint32_t nodes) {
  if (!value.is_object())
    throw InputError(pointer, "expected an object such as {\"3\": {\"zxid\": 12, \"epoch\": 2}}");
  for (const auto& [key, entry] : value.items()) {
    const std::string at = pointer + "/" + key;
    initial_node_id(key, at, nodes);
    if (!entry.is_object() || entry.empty())
      throw InputError(at, "expected an object with \"zxid\" and/or \"epoch\"");
    for (const auto& [field, number] : entry.items()) {
      if (field != "zxid" && field != "epoch")
        throw InputError(at + "/" + field, "unknown field (expected \"zxid\" or \"epoch\")");
      initial_number(number, at + "/" + field);
    }
  }
}

zab::Config zab_config(const nlohmann::json& params, std::uint32_t nodes) {
  zab::Config config;
  config.finalize_wait = param_time(params, "finalize_wait");
  config.notification_timeout = param_time(params, "notification_timeout");
  config.max_notification_timeout = param_time(params, "max_notification_timeout");
  config.notification_gap = param_time(params, "notification_gap");
  config.tick = param_time(params, "tick");
  config.init_limit = params.at("init_limit").get<std::uint32_t>();
  config.sync_limit = params.at("sync_limit").get<std::uint32_t>();
  config.legacy_vote_order = param_bool(params, "legacy_vote_order");
  const nlohmann::json& initial = params.at("initial");
  if (!initial.empty()) {
    config.initial.assign(nodes + 1, zab::InitialState{});
    for (const auto& [key, entry] : initial.items()) {
      zab::InitialState& state = config.initial[static_cast<std::size_t>(std::stoul(key))];
      if (entry.contains("zxid")) state.zxid = entry["zxid"].get<std::uint64_t>();
      if (entry.contains("epoch")) state.epoch = entry["epoch"].get<std::uint64_t>();
    }
  }
  return config;
}

}  // namespace

AlgorithmInfo zab_algorithm() {
  using Kind = ParamSpec::Kind;
  AlgorithmInfo info;
  info.name = "zab";
  info.summary =
      "ZooKeeper's Fast Leader Election, then Zab discovery and synchronization (Junqueira, "
      "Reed, Serafini, DSN 2011)";
  info.params = {
      {"finalize_wait",
       Kind::time,
       "200ms",
       "FLE finalizeWait: a quorum must agree this long with no better vote before deciding",
       0,
       0,
       {}},
      {"notification_timeout",
       Kind::time,
       "200ms",
       "FLE minNotificationInterval: resend notifications after this long without one",
       0,
       0,
       {}},
      {"max_notification_timeout",
       Kind::time,
       "2s",
       "FLE maxNotificationInterval: the resend back-off doubles up to this (ZooKeeper: 60s)",
       0,
       0,
       {}},
      {"notification_gap",
       Kind::time,
       "1ms",
       "least time between two notification broadcasts of a node; a burst of vote changes sends "
       "the last (QuorumCnxManager SEND_CAPACITY = 1)",
       0,
       0,
       {}},
      {"tick",
       Kind::time,
       "100ms",
       "ZooKeeper tickTime: the leader pings every tick/2; limits are counted in ticks",
       0,
       0,
       {}},
      {"init_limit",
       Kind::integer,
       10,
       "initLimit: ticks to establish an epoch (leader) or reach UPTODATE (follower)",
       1,
       1000,
       {}},
      {"sync_limit",
       Kind::integer,
       5,
       "syncLimit: ticks without a packet before a follower or a leader's quorum gives up",
       1,
       1000,
       {}},
      {"legacy_vote_order",
       Kind::boolean,
       false,
       "mutant: the vote order before ZOOKEEPER-1419 (sid tie-break not guarded by equal epochs)",
       0,
       0,
       {}},
      {"initial", Kind::custom, nlohmann::json::object(),
       "per-node starting history, e.g. {\"3\": {\"zxid\": 12, \"epoch\": 2}} (epoch: accepted "
       "and current)",
       0, 0, check_initial},
  };
  info.promises_election_safety = true;
  info.synchronous_checks = false;
  info.run = [](const Scenario& scenario, const nlohmann::json& params, Trace& trace) {
    const zab::Config config = zab_config(params, scenario.nodes);
    Simulation<zab::Node> simulation(scenario, config, trace);
    return simulation.run();
  };
  return info;
}

}  // namespace electsim
