// The whole world as a node sees it. A node is a sans-I/O state machine: the
// simulator calls its handlers and the node acts only through this Context
// (send, timers, durable storage, role reports, its own RNG stream). It never
// reads a clock, a global RNG or another node, so every handler can be driven
// by a test through a fake context that records the effects.
//
// What an algorithm provides (see algorithms/raft/raft_node.hpp):
//   struct Node {
//     using Message = ...;  // plain struct, has `std::uint8_t kind() const`
//                           // and `std::uint64_t term() const`
//     using Durable = ...;  // what survives a crash
//     using Config  = ...;  // parsed params
//     static constexpr std::array<std::string_view, K> kMessageNames;
//     static constexpr std::array<std::string_view, T> kTimerNames;
//     Node(const Config&, NodeId self, std::uint32_t nodes);
//     void on_start(Context&, const Durable* disk);  // nullptr on first boot
//     void on_message(Context&, NodeId from, const Message&);
//     void on_timer(Context&, TimerId);
//     void on_campaign(Context&);  // the `campaign` fault: act as if the
//                                  // election timeout fired now
//   };
#pragma once

#include <cstdint>
#include <string_view>

#include "sim/random.hpp"
#include "sim/time.hpp"

namespace electsim {

using NodeId = std::uint32_t;  // 1..nodes; 0 means "none"
using TimerId = std::uint8_t;  // index into the node type's kTimerNames
using Term = std::uint64_t;

inline constexpr NodeId kNoNode = 0;

// The three roles every algorithm maps onto (DESIGN.md, Leaders and terms).
enum class Role : std::uint8_t { follower, candidate, leader };

inline std::string_view role_name(Role role) {
  switch (role) {
    case Role::follower:
      return "follower";
    case Role::candidate:
      return "candidate";
    case Role::leader:
      return "leader";
  }
  return "?";
}

template <class Message, class Durable>
class Context {
 public:
  virtual ~Context() = default;
  virtual Time now() const = 0;
  // The node's own PRNG stream (independent of every other node and link).
  virtual Rng& rng() = 0;
  virtual void send(NodeId to, const Message& message) = 0;
  // To every other node, in ascending id order.
  virtual void broadcast(const Message& message) = 0;
  // Arms timer `id` to fire after `delay` (> 0), replacing any earlier setting.
  virtual void set_timer(TimerId id, Time delay) = 0;
  virtual void cancel_timer(TimerId id) = 0;
  // Writes durable state; what was persisted last survives a crash.
  virtual void persist(const Durable& state) = 0;
  // The node's role, its term and the leader it names (kNoNode if none). A
  // leader names itself. Reported whenever any of the three changes.
  virtual void report(Role role, Term term, NodeId leader) = 0;
};

}  // namespace electsim
