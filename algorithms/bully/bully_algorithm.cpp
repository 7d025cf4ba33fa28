// Bully's entry in the registry: its parameters, their defaults (DESIGN.md,
// Algorithm defaults) and how to run it. Bully promises one coordinator only
// under its synchrony assumption (Coulouris 15.3: T = 2 Ttrans + Tprocess
// bounds every reply), so it is judged by the synchronous checks: split brain
// beyond answer_timeout is a safety violation, and liveness holds per maximal
// connected set.
#include "algorithms/bully/bully_node.hpp"
#include "algorithms/registry.hpp"
#include "sim/simulation.hpp"

namespace electsim {

namespace {
bully::Config bully_config(const nlohmann::json& params) {
  bully::Config config;
  config.heartbeat = param_time(params, "heartbeat");
  config.failure_timeout = param_time(params, "failure_timeout");
  config.answer_timeout = param_time(params, "answer_timeout");
  config.coordinator_timeout = param_time(params, "coordinator_timeout");
  return config;
}
}  // namespace

AlgorithmInfo bully_algorithm() {
  using Kind = ParamSpec::Kind;
  AlgorithmInfo info;
  info.name = "bully";
  info.summary = "Bully election (Garcia-Molina 1982; Coulouris et al., Distributed Systems, 15.3)";
  info.params = {
      {"heartbeat",
       Kind::time,
       "100ms",
       "period of a follower's HEARTBEAT to its coordinator (and of a coordinator's probe of "
       "higher ids)",
       0,
       0,
       {}},
      {"failure_timeout",
       Kind::time,
       "500ms",
       "a follower starts an election when its coordinator has not answered for this long",
       0,
       0,
       {}},
      {"answer_timeout",
       Kind::time,
       "100ms",
       "T: wait for an ANSWER before announcing COORDINATOR; the default split-brain grace",
       0,
       0,
       {}},
      {"coordinator_timeout",
       Kind::time,
       "300ms",
       "T': after an ANSWER, wait for COORDINATOR before starting again",
       0,
       0,
       {}},
  };
  info.promises_election_safety = false;
  info.synchronous_checks = true;
  info.split_brain_grace_param = "answer_timeout";
  info.run = [](const Scenario& scenario, const nlohmann::json& params, Trace& trace) {
    const bully::Config config = bully_config(params);
    Simulation<bully::Node> simulation(scenario, config, trace);
    return simulation.run();
  };
  return info;
}

}  // namespace electsim
