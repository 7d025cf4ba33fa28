// What a run leaves behind for the checkers: counts, every change of node
// status, every fault firing and the network as it stood after the last one.
// The simulation loop fills it and never reads it back; analysis/ turns it
// into verdicts, so checkers observe and never steer.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sim/network.hpp"
#include "sim/node_api.hpp"
#include "sim/time.hpp"

namespace electsim {

struct StatusChange {
  Time t = 0;
  NodeId node = 0;
  Role role = Role::follower;
  Term term = 0;
  NodeId leader = kNoNode;  // whom the node names as leader
  bool up = true;
};

struct FaultFiring {
  Time t = 0;
  std::string origin;  // "/faults/2" or "nemesis/5"
  std::string_view action;
  bool undo = false;
  bool skipped = false;  // a "leader" target with no leader
  std::vector<NodeId> nodes;
};

struct MessageCounts {
  std::uint64_t sent = 0, delivered = 0, dropped = 0, duplicated = 0;
  std::vector<std::uint64_t> sent_by_type;  // indexed by message kind
};

// The network after the last fault action: the liveness check's t0 state.
struct ConnectivitySnapshot {
  Time t = 0;
  std::vector<bool> up;  // by node id; [0] unused
  std::vector<BlockRule> rules;
};

struct RunRecord {
  std::string algorithm;
  std::uint32_t nodes = 0;
  std::uint64_t seed = 0;
  Time duration = 0;
  std::uint64_t events = 0;
  std::uint64_t trace_hash = 0;
  MessageCounts messages;
  std::vector<std::string_view> message_names;  // by kind
  std::vector<StatusChange> status;             // in time order, starting with every node at t=0
  std::vector<FaultFiring> faults;
  std::size_t faults_not_reached = 0;
  ConnectivitySnapshot last_fault;  // t = 0 and all up if no fault fired
  nlohmann::json nemesis_schedule;  // the drawn faults, as scenario entries; null if none
};

}  // namespace electsim
