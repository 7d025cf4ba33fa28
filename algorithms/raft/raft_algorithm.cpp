// Raft's entry in the registry: its parameters, their defaults (DESIGN.md,
// Algorithm defaults) and how to run it.
#include "algorithms/raft/raft_node.hpp"
#include "algorithms/registry.hpp"
#include "sim/simulation.hpp"

namespace electsim {

namespace {
raft::Config raft_config(const nlohmann::json& params) {
  raft::Config config;
  config.election_timeout_min = param_time_min(params, "election_timeout");
  config.election_timeout_max = param_time_max(params, "election_timeout");
  config.heartbeat = param_time(params, "heartbeat");
  config.prevote = param_bool(params, "prevote");
  config.check_quorum = param_bool(params, "check_quorum");
  config.persist_state = param_bool(params, "persist_state");
  return config;
}
}  // namespace

AlgorithmInfo raft_algorithm() {
  using Kind = ParamSpec::Kind;
  AlgorithmInfo info;
  info.name = "raft";
  info.summary = "Raft leader election (Ongaro and Ousterhout 2014, section 5.2; Ongaro's thesis)";
  info.params = {
      {"election_timeout",
       Kind::time_range,
       {"150ms", "300ms"},
       "randomized election timeout [min, max] (Raft 5.2)",
       0,
       0,
       {}},
      {"heartbeat",
       Kind::time,
       "50ms",
       "interval between a leader's AppendEntries heartbeats",
       0,
       0,
       {}},
      {"prevote",
       Kind::boolean,
       false,
       "PreVote round before raising the term (thesis 9.6)",
       0,
       0,
       {}},
      {"check_quorum",
       Kind::boolean,
       false,
       "leader steps down without a majority for an election timeout; leader lease on votes "
       "(thesis 6.2, 4.2.3)",
       0,
       0,
       {}},
      {"persist_state",
       Kind::boolean,
       true,
       "term and vote survive a restart; false is a known-unsafe mutant",
       0,
       0,
       {}},
  };
  info.run = [](const Scenario& scenario, const nlohmann::json& params, Trace& trace) {
    const raft::Config config = raft_config(params);
    Simulation<raft::Node> simulation(scenario, config, trace);
    return simulation.run();
  };
  return info;
}

}  // namespace electsim
