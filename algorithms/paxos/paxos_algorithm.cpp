// Paxos's entry in the registry: its parameters, their defaults and how to
// run it. The defaults satisfy Paxos's timing assumption for one-way delays
// up to 30 ms (DESIGN.md, Algorithm defaults; docs/algorithms/paxos.md):
// - heartbeat 50ms + 30ms delay < suspicion_timeout min 150ms, so a live,
//   connected leader is never suspected;
// - a whole ballot (PREPARE, PROMISE, ACCEPT, ACCEPTED: four one-way delays,
//   120ms) fits in retry_timeout min 150ms, so a ballot that can succeed is
//   never retried over;
// - the spread of the random back-off (200ms) exceeds a whole ballot plus
//   its DECIDED (150ms), so a pre-empted proposer often waits long enough for
//   the other one to finish.
#include "algorithms/paxos/paxos_node.hpp"
#include "algorithms/registry.hpp"
#include "sim/simulation.hpp"

namespace electsim {

namespace {
paxos::Config paxos_config(const nlohmann::json& params) {
  paxos::Config config;
  config.heartbeat = param_time(params, "heartbeat");
  config.suspicion_timeout_min = param_time_min(params, "suspicion_timeout");
  config.suspicion_timeout_max = param_time_max(params, "suspicion_timeout");
  config.retry_timeout_min = param_time_min(params, "retry_timeout");
  config.retry_timeout_max = param_time_max(params, "retry_timeout");
  config.backoff_delay_min = param_time_min(params, "backoff_delay");
  config.backoff_delay_max = param_time_max(params, "backoff_delay");
  config.backoff = param_bool(params, "backoff");
  config.persist_state = param_bool(params, "persist_state");
  return config;
}
}  // namespace

AlgorithmInfo paxos_algorithm() {
  using Kind = ParamSpec::Kind;
  AlgorithmInfo info;
  info.name = "paxos";
  info.summary =
      "Paxos leader election: one single-decree Paxos instance per epoch (Lamport, Paxos Made "
      "Simple, 2001)";
  info.params = {
      {"heartbeat", Kind::time, "50ms", "interval between a leader's HEARTBEAT messages", 0, 0, {}},
      {"suspicion_timeout",
       Kind::time_range,
       {"150ms", "300ms"},
       "randomized [min, max]: a follower that hears nothing from its leader this long proposes "
       "itself for the next epoch (PMS 2.4)",
       0,
       0,
       {}},
      {"retry_timeout",
       Kind::time_range,
       {"150ms", "300ms"},
       "randomized [min, max]: a ballot neither decided nor refused by then is retried with a "
       "higher round",
       0,
       0,
       {}},
      {"backoff_delay",
       Kind::time_range,
       {"50ms", "250ms"},
       "randomized [min, max] wait of a pre-empted proposer (NACK) before a higher round",
       0,
       0,
       {}},
      {"backoff",
       Kind::boolean,
       true,
       "back off after a NACK; false retries at once and can livelock (PMS 2.4)",
       0,
       0,
       {}},
      {"persist_state",
       Kind::boolean,
       true,
       "acceptor promises and acceptances survive a restart; false is a known-unsafe mutant "
       "(PMS 2.5)",
       0,
       0,
       {}},
  };
  info.promises_election_safety = true;
  info.synchronous_checks = false;
  info.run = [](const Scenario& scenario, const nlohmann::json& params, Trace& trace) {
    const paxos::Config config = paxos_config(params);
    Simulation<paxos::Node> simulation(scenario, config, trace);
    return simulation.run();
  };
  return info;
}

}  // namespace electsim
