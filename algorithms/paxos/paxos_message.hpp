// Paxos's messages, one plain struct so that they travel by value through the
// event queue. Each epoch is one single-decree Paxos instance whose value is
// the leader of that epoch ("Paxos Made Simple", Lamport 2001, section 2):
// PREPARE and PROMISE are phase 1 (2.2 "phase 1 (a)/(b)"), ACCEPT and ACCEPTED
// phase 2, NACK is the rejection suggested at the end of 2.3 ("it should
// probably inform the proposer, who should then abandon its proposal"),
// DECIDED tells the learners (2.3 "Learning a Chosen Value"), and HEARTBEAT is
// the leader's sign of life, which the paper leaves to the implementation.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string_view>

#include "sim/node_api.hpp"

namespace electsim::paxos {

// The epoch: the index of a Paxos instance, reported as the `term`.
using Epoch = Term;

// Paxos Made Simple 2.5: proposal numbers come from disjoint sets per
// proposer. Here a ballot is (round, node id), compared lexicographically;
// the zero ballot means "none".
struct Ballot {
  std::uint64_t round = 0;
  NodeId node = kNoNode;
  auto operator<=>(const Ballot&) const = default;
  bool operator==(const Ballot&) const = default;
  bool none() const { return round == 0; }
};

enum class MessageType : std::uint8_t {
  prepare,
  promise,
  nack,
  accept,
  accepted,
  decided,
  heartbeat,
};

inline constexpr std::array<std::string_view, 7> kMessageNames = {
    "PREPARE", "PROMISE", "NACK", "ACCEPT", "ACCEPTED", "DECIDED", "HEARTBEAT"};

struct Message {
  MessageType type = MessageType::heartbeat;
  Epoch epoch = 0;
  // PREPARE, ACCEPT: the proposal's ballot. PROMISE, NACK, ACCEPTED: the
  // ballot they answer.
  Ballot ballot;
  // PROMISE: the highest ballot the acceptor accepted in this epoch (none if
  // it accepted nothing). NACK: the ballot the acceptor has promised.
  Ballot other;
  // PROMISE: the value accepted with `other`. ACCEPT, ACCEPTED: the proposed
  // value. DECIDED, HEARTBEAT: the leader of `epoch`.
  NodeId value = kNoNode;
  // PREPARE, ACCEPT: the leader chosen in epoch - 1. A proposer starts epoch
  // e only once it knows e - 1 was decided, so an acceptor that missed that
  // decision learns it here and needs no state for older epochs.
  NodeId previous_leader = kNoNode;

  std::uint8_t kind() const { return static_cast<std::uint8_t>(type); }
  Term term() const { return epoch; }
  bool operator==(const Message&) const = default;
};

}  // namespace electsim::paxos
