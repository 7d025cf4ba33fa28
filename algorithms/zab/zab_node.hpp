// A ZooKeeper server, leader election and Zab's discovery and synchronization
// phases only (no client transactions). Sources:
// - FLE: ZooKeeper's FastLeaderElection.lookForLeader and its
//   totalOrderPredicate, checkLeader and WorkerReceiver rules;
// - Zab: Junqueira, Reed, Serafini, "Zab: High-performance broadcast for
//   primary-backup systems", DSN 2011, section IV (phases 1 and 2), as
//   ZooKeeper implements them in Leader.lead / getEpochToPropose /
//   waitForEpochAck / waitForNewLeaderAck, LearnerHandler and
//   Learner.registerWithLeader / syncWithLeader.
// docs/algorithms/zab.md lists every rule and every choice made here.
//
// Role mapping (DESIGN.md): LOOKING and LEADING-before-established are
// `candidate`; a leader is `leader` from a quorum of NEWLEADER ACKs; a
// follower names its leader once it has received UPTODATE. `term` is the
// node's currentEpoch (the established epoch).
//
// The mutant legacy_vote_order=true restores the vote order of ZooKeeper
// before ZOOKEEPER-1419, whose sid tie-break is not guarded by equal epochs.
#pragma once

#include <array>
#include <string_view>
#include <vector>

#include "algorithms/zab/zab_message.hpp"
#include "sim/node_api.hpp"
#include "sim/node_set.hpp"

namespace electsim::zab {

// A node's starting history, set by params.initial (epoch is both its
// acceptedEpoch and its currentEpoch).
struct InitialState {
  Zxid zxid = 0;
  Epoch epoch = 0;
  bool operator==(const InitialState&) const = default;
};

struct Config {
  Time finalize_wait = 200 * kMillisecond;
  Time notification_timeout = 200 * kMillisecond;
  Time max_notification_timeout = 2 * kSecond;
  Time notification_gap = 1 * kMillisecond;
  Time tick = 100 * kMillisecond;
  std::uint32_t init_limit = 10;  // ticks
  std::uint32_t sync_limit = 5;   // ticks
  bool legacy_vote_order = false;
  std::vector<InitialState> initial;  // by node id; empty or nodes + 1 entries
  bool operator==(const Config&) const = default;
};

// What survives a crash: Zab's acceptedEpoch and currentEpoch (ZooKeeper's
// files acceptedEpoch and currentEpoch) and the last zxid of the history.
struct Durable {
  Epoch accepted_epoch = 0;
  Epoch current_epoch = 0;
  Zxid last_zxid = 0;
  bool operator==(const Durable&) const = default;
};

// A vote (ZooKeeper's Vote): the proposed leader, its zxid and peer epoch,
// and the round it was cast in. `state` is the voter's state.
struct Vote {
  NodeId leader = kNoNode;
  Zxid zxid = 0;
  Epoch election_epoch = 0;
  Epoch peer_epoch = 0;
  ServerState state = ServerState::looking;
  bool present = false;  // a slot in recvset/outofelection that holds a vote
  // Vote.equals: a LOOKING vote matches on all four fields. Two votes of
  // servers out of election (FOLLOWING/LEADING) match on leader and peer
  // epoch only: their zxid and round may differ (ZOOKEEPER-1805,
  // QuorumPeer.updateElectionVote), and an epoch has one leader.
  bool same(const Vote& other) const {
    if (state == ServerState::looking || other.state == ServerState::looking)
      return leader == other.leader && zxid == other.zxid &&
             election_epoch == other.election_epoch && peer_epoch == other.peer_epoch;
    return leader == other.leader && peer_epoch == other.peer_epoch;
  }
  bool operator==(const Vote&) const = default;
};

// FastLeaderElection.totalOrderPredicate(new, current): true if `candidate`
// is a better vote than `current`: higher peer epoch, then higher zxid, then
// higher sid. `legacy` is the pre-ZOOKEEPER-1419 predicate, whose last
// clause ignores the epochs, so the order is not transitive (not even
// antisymmetric) when peer epochs differ.
bool vote_is_better(const Vote& candidate, const Vote& current, bool legacy);

class Node {
 public:
  using Message = zab::Message;
  using Durable = zab::Durable;
  using Config = zab::Config;
  using Ctx = Context<Message, Durable>;
  static constexpr std::array<std::string_view, 8> kMessageNames = zab::kMessageNames;
  enum Timer : TimerId {
    notification_timer = 0,
    finalize_timer = 1,
    send_timer = 2,
    limit_timer = 3,
    ping_timer = 4
  };
  static constexpr std::array<std::string_view, 5> kTimerNames = {"notification", "finalize",
                                                                  "send", "limit", "ping"};

  // Where a follower is in Zab's phases 1 and 2.
  enum class LearnerPhase : std::uint8_t { connecting, acked_epoch, acked_newleader, synced };

  Node(const Config& config, NodeId self, std::uint32_t nodes);

  void on_start(Ctx& ctx, const Durable* disk);
  void on_message(Ctx& ctx, NodeId from, const Message& message);
  void on_timer(Ctx& ctx, TimerId timer);
  void on_campaign(Ctx& ctx);

  ServerState state() const { return state_; }
  const Durable& durable() const { return durable_; }
  const Vote& proposal() const { return proposal_; }
  Epoch logical_clock() const { return logical_clock_; }
  NodeId leader() const { return leader_; }
  bool established() const { return established_; }
  bool finalizing() const { return finalizing_; }
  LearnerPhase learner_phase() const { return phase_; }
  bool operator==(const Node&) const = default;

 private:
  // --- Fast Leader Election (fast_leader_election.cpp) ---
  void look_for_leader(Ctx& ctx);
  void handle_notification(Ctx& ctx, NodeId from, const Message& m);
  void looking_notification(Ctx& ctx, NodeId from, const Message& m);
  void settled_notification(Ctx& ctx, NodeId from, const Message& m);
  void update_proposal(Ctx& ctx, const Vote& vote);
  void check_quorum_for_proposal(Ctx& ctx);
  bool quorum_agrees(const std::vector<Vote>& votes, const Vote& vote, bool include_self) const;
  bool check_leader(const std::vector<Vote>& votes, NodeId leader, Epoch election_epoch) const;
  void send_notifications(Ctx& ctx);
  void notification_timeout(Ctx& ctx);
  void finalize(Ctx& ctx);
  void decide(Ctx& ctx, const Vote& vote);
  Vote initial_vote() const;
  Message vote_message(const Vote& vote, Epoch election_epoch) const;

  // --- Zab discovery and synchronization (zab_node.cpp) ---
  void start_leading(Ctx& ctx);
  void start_following(Ctx& ctx);
  void handle_follower_info(Ctx& ctx, NodeId from, const Message& m);
  void handle_ack_epoch(Ctx& ctx, NodeId from, const Message& m);
  void epoch_quorum_reached(Ctx& ctx);
  void handle_ack(Ctx& ctx, NodeId from, const Message& m);
  void handle_leader_info(Ctx& ctx, NodeId from, const Message& m);
  void handle_new_leader(Ctx& ctx, NodeId from, const Message& m);
  void handle_up_to_date(Ctx& ctx, NodeId from, const Message& m);
  void handle_ping(Ctx& ctx, NodeId from, const Message& m);
  void leader_tick(Ctx& ctx);
  void send_new_leader(Ctx& ctx, NodeId to);
  Message zab_message(MessageType type) const;
  void report(Ctx& ctx);

  // Timing and options, copied from Config (not its `initial` list).
  Time finalize_wait_, notification_timeout_min_, notification_timeout_max_, notification_gap_;
  Time tick_;
  std::uint32_t init_limit_, sync_limit_;
  bool legacy_vote_order_;
  InitialState initial_;

  NodeId self_;
  std::uint32_t nodes_;
  std::uint32_t quorum_;
  Durable durable_;
  ServerState state_ = ServerState::looking;

  // FLE (volatile, as ZooKeeper's logicalclock is).
  Epoch logical_clock_ = 0;
  Vote proposal_;                    // proposedLeader, proposedZxid, proposedEpoch
  std::vector<Vote> recvset_;        // by sid: votes of this round
  std::vector<Vote> outofelection_;  // by sid: FOLLOWING/LEADING votes of any round
  Time notification_timeout_ = 0;    // notTimeout, doubling to the maximum
  bool finalizing_ = false;          // quorum reached; waiting finalize_wait
  Vote current_vote_;                // the vote this node settled on
  Time last_broadcast_at_ = -kDay;   // for notification_gap
  bool broadcast_pending_ = false;   // a vote change waits for the gap

  // Zab.
  NodeId leader_ = kNoNode;       // FOLLOWING/LEADING: the leader this node follows (or itself)
  Epoch new_epoch_ = 0;           // the epoch being established (LEADERINFO's)
  bool epoch_proposed_ = false;   // leader: a quorum of FOLLOWERINFO fixed new_epoch_
  bool epoch_acked_ = false;      // leader: a quorum of ACKEPOCH (electionFinished)
  bool established_ = false;      // leader: a quorum ACKed NEWLEADER
  Epoch max_accepted_epoch_ = 0;  // leader: max acceptedEpoch among connecting
  NodeSet connecting_;            // leader: FOLLOWERINFO senders, counted for the epoch
  NodeSet learners_;              // leader: sent LEADERINFO to (connected learners)
  NodeSet epoch_ackers_;          // leader: counted ACKEPOCHs (electingFollowers)
  NodeSet waiting_sync_;          // leader: ACKEPOCH'd, waiting for electionFinished
  NodeSet newleader_acks_;        // leader: ACKs of NEWLEADER
  std::vector<Time> last_heard_;  // leader: last packet from each learner
  LearnerPhase phase_ = LearnerPhase::connecting;
};

}  // namespace electsim::zab
