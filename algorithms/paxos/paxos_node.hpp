// A Paxos node for leader election: every node is proposer, acceptor and
// learner ("Paxos Made Simple", Lamport 2001, section 2.1). Epoch e is one
// single-decree Paxos instance whose value is the leader of e; a node leads
// from learning that its own id was chosen for the highest epoch it knows.
//
// Rules (section numbers are Paxos Made Simple's; see docs/algorithms/paxos.md):
// - a follower that hears nothing from its leader for a randomized
//   suspicion_timeout proposes itself for epoch e + 1 (2.4: a distinguished
//   proposer is needed for progress; the timeout elects one);
// - phase 1: PREPARE(e, b); an acceptor promises if b is above every ballot
//   it promised for e and returns what it accepted (2.2 P1a), else NACK;
// - phase 2: with a majority of promises, ACCEPT(e, b, v) with v the value of
//   the highest accepted ballot among them, else itself (2.2 P2c); acceptors
//   accept if b is at least their promise and answer ACCEPTED to the proposer;
// - a majority of ACCEPTED for one ballot chooses v; the proposer broadcasts
//   DECIDED(e, v) (2.3, "a distinguished learner" that informs the others);
// - a pre-empted proposer (NACK, or its own acceptor promising a higher
//   ballot) abandons (end of 2.3) and, with `backoff`, waits a random
//   backoff_delay before a higher round; without it, two proposers can
//   pre-empt each other forever (2.4);
// - the acceptor state is durable (2.5 "an acceptor must remember this
//   information even if it fails and then restarts"); persist_state=false is
//   the mutant that forgets it.
#pragma once

#include <array>
#include <string_view>

#include "algorithms/paxos/paxos_message.hpp"
#include "sim/node_api.hpp"
#include "sim/node_set.hpp"

namespace electsim::paxos {

struct Config {
  Time heartbeat = 50 * kMillisecond;
  Time suspicion_timeout_min = 150 * kMillisecond;
  Time suspicion_timeout_max = 300 * kMillisecond;
  Time retry_timeout_min = 150 * kMillisecond;
  Time retry_timeout_max = 300 * kMillisecond;
  Time backoff_delay_min = 50 * kMillisecond;
  Time backoff_delay_max = 250 * kMillisecond;
  bool backoff = true;
  bool persist_state = true;
  bool operator==(const Config&) const = default;
};

// What survives a crash. Only the open epoch (decided_epoch + 1) needs
// acceptor state: every older epoch is decided, and an acceptor that refuses
// to take part in a decided instance is always safe (it only answers with
// what it knows was decided).
struct Durable {
  Epoch decided_epoch = 0;          // the highest epoch known to be decided
  NodeId decided_leader = kNoNode;  // the value chosen for it
  // Paxos Made Simple 2.5: the acceptor's promise and its accepted proposal
  // for epoch decided_epoch + 1. The proposer's own ballots are covered too:
  // a proposer promises its own ballot (persisted) before sending PREPARE, so
  // after a restart it never reuses a round.
  Ballot promised;
  Ballot accepted;
  NodeId accepted_value = kNoNode;
  bool operator==(const Durable&) const = default;
};

class Node {
 public:
  using Message = paxos::Message;
  using Durable = paxos::Durable;
  using Config = paxos::Config;
  using Ctx = Context<Message, Durable>;
  static constexpr std::array<std::string_view, 7> kMessageNames = paxos::kMessageNames;
  enum Timer : TimerId {
    suspicion_timer = 0,
    heartbeat_timer = 1,
    retry_timer = 2,
    backoff_timer = 3
  };
  static constexpr std::array<std::string_view, 4> kTimerNames = {"suspicion", "heartbeat", "retry",
                                                                  "backoff"};

  // preparing, accepting and backing_off are reported as Role::candidate.
  enum class State : std::uint8_t { follower, preparing, accepting, backing_off, leader };

  Node(const Config& config, NodeId self, std::uint32_t nodes);

  void on_start(Ctx& ctx, const Durable* disk);
  void on_message(Ctx& ctx, NodeId from, const Message& message);
  void on_timer(Ctx& ctx, TimerId timer);
  void on_campaign(Ctx& ctx);

  State state() const { return state_; }
  Epoch decided_epoch() const { return durable_.decided_epoch; }
  NodeId decided_leader() const { return durable_.decided_leader; }
  // The leader this node names: the decided leader, unless that is itself
  // and it does not lead (it restarted), or it is proposing.
  NodeId leader() const;
  const Ballot& ballot() const { return ballot_; }
  const Durable& durable() const { return durable_; }
  bool operator==(const Node&) const = default;

 private:
  Epoch open_epoch() const { return durable_.decided_epoch + 1; }
  bool proposing() const { return state_ == State::preparing || state_ == State::accepting; }

  void handle_prepare(Ctx& ctx, NodeId from, const Message& m);
  void handle_promise(Ctx& ctx, NodeId from, const Message& m);
  void handle_nack(Ctx& ctx, const Message& m);
  void handle_accept(Ctx& ctx, NodeId from, const Message& m);
  void handle_accepted(Ctx& ctx, NodeId from, const Message& m);
  void handle_heartbeat(Ctx& ctx, NodeId from, const Message& m);

  // Learner: epoch `epoch` chose `leader`.
  void learn_decided(Ctx& ctx, Epoch epoch, NodeId leader);
  // Answers a message about an epoch this node knows is decided.
  void send_decided(Ctx& ctx, NodeId to);
  // Another proposer's ballot `b` made progress at this node's acceptor.
  void saw_progress(Ctx& ctx, const Ballot& b);

  void start_ballot(Ctx& ctx);
  void start_accept(Ctx& ctx);
  void abandon_ballot(Ctx& ctx);
  void become_follower(Ctx& ctx);
  void become_leader(Ctx& ctx);
  void reset_suspicion_timer(Ctx& ctx);
  void cancel_proposer_timers(Ctx& ctx);
  void report(Ctx& ctx);

  Config config_;
  NodeId self_;
  std::uint32_t nodes_;
  std::uint32_t majority_;
  Durable durable_;
  State state_ = State::follower;
  // Proposer state for the open epoch; volatile (a restarted proposer starts
  // a new, higher ballot).
  Ballot ballot_;                    // the ballot being run
  std::uint64_t highest_round_ = 0;  // the highest round seen in the open epoch
  NodeSet promises_;                 // phase 1 tally for ballot_
  Ballot best_accepted_;             // highest accepted ballot among the promises
  NodeId best_value_ = kNoNode;      // its value
  NodeId value_ = kNoNode;           // phase 2: the value proposed with ballot_
  NodeSet accepts_;                  // phase 2 tally for ballot_
};

}  // namespace electsim::paxos
