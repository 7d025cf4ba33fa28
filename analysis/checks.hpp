// The checkers: they read a finished run's record (status changes, faults,
// the network at the last fault) and judge it against DESIGN.md, Checks. They
// never steer a run.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/run_record.hpp"
#include "sim/scenario.hpp"

namespace electsim {

// How to judge a run; filled from the scenario and the algorithm's promises.
struct CheckOptions {
  bool safety_enabled = true;
  bool liveness_enabled = true;
  Time liveness_within = 10 * kSecond;
  bool election_safety = true;  // the algorithm promises one leader per term
  bool synchronous = false;     // Bully: split brain beyond the grace is a violation
  Time split_brain_grace = 0;
};

struct LeaderInterval {
  NodeId node = 0;
  Term term = 0;
  Time from = 0, to = 0;
};

struct Failover {
  NodeId crashed_leader = 0;
  Time at = 0;
  std::optional<Time> downtime;  // none if no other node became leader
};

struct Violation {
  std::string kind;  // "election_safety" or "split_brain"
  Time at = 0;
  std::vector<NodeId> nodes;
  Term term = 0;
  std::string detail;
};

struct LivenessVerdict {
  bool ok = true;
  bool applicable = false;
  std::string detail;
  Time t0 = 0;
  std::vector<std::vector<NodeId>> groups;  // G (Bully: every maximal set)
  std::optional<Time> settled_at;           // when the last group agreed
};

struct Leadership {
  std::vector<LeaderInterval> leaders;  // sorted by `from`
  std::vector<Failover> failovers;
  std::optional<Time> first_leader;
  Time leaderless = 0;   // no leader named by a majority of the live nodes
  Time split_brain = 0;  // two or more live leaders at once
  std::vector<Violation> violations;
};

Leadership analyze_leadership(const RunRecord& record, const CheckOptions& options);
LivenessVerdict check_liveness(const RunRecord& record, const CheckOptions& options);

// The largest set of nodes, all pairwise connected both ways (ties: lowest
// ids), among at most 64 candidates. `connected` must be symmetric.
std::vector<NodeId> largest_connected_set(const std::vector<NodeId>& candidates,
                                          const std::function<bool(NodeId, NodeId)>& connected);
// Every maximal such set (Bully's liveness), sorted; at most 64 candidates.
std::vector<std::vector<NodeId>> maximal_connected_sets(
    const std::vector<NodeId>& candidates, const std::function<bool(NodeId, NodeId)>& connected);

}  // namespace electsim
