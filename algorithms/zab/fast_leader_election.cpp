// Fast Leader Election, the LOOKING state of a ZooKeeper server; see
// zab_node.hpp. "FLE" cites ZooKeeper's FastLeaderElection.java: the method
// lookForLeader (the main loop), totalOrderPredicate, checkLeader, and the
// Messenger.WorkerReceiver rules for answering other servers.
#include <algorithm>

#include "algorithms/zab/zab_node.hpp"

namespace electsim::zab {

bool vote_is_better(const Vote& candidate, const Vote& current, bool legacy) {
  if (legacy) {
    // Before ZOOKEEPER-1419: the sid tie-break only asks for equal zxids, so
    // a vote one epoch behind beats one ahead when its sid is higher, while
    // the one ahead beats it by epoch: the order has cycles.
    return candidate.peer_epoch > current.peer_epoch ||
           (candidate.peer_epoch == current.peer_epoch && candidate.zxid > current.zxid) ||
           (candidate.zxid == current.zxid && candidate.leader > current.leader);
  }
  // FLE totalOrderPredicate: (peer epoch, zxid, sid), lexicographically.
  return candidate.peer_epoch > current.peer_epoch ||
         (candidate.peer_epoch == current.peer_epoch &&
          (candidate.zxid > current.zxid ||
           (candidate.zxid == current.zxid && candidate.leader > current.leader)));
}

// FLE getInitId / getInitLastLoggedZxid / getPeerEpoch: a node first votes
// for itself with its last zxid and its currentEpoch.
Vote Node::initial_vote() const {
  return Vote{
      self_, durable_.last_zxid, logical_clock_, durable_.current_epoch, ServerState::looking,
      true};
}

Message Node::vote_message(const Vote& vote, Epoch election_epoch) const {
  Message m;
  m.type = MessageType::notification;
  m.state = state_;
  m.leader = vote.leader;
  m.zxid = vote.zxid;
  m.election_epoch = election_epoch;
  m.epoch = vote.peer_epoch;
  return m;
}

// FLE lookForLeader, entry: a new round (logicalclock + 1), vote for
// yourself, tell everyone.
void Node::look_for_leader(Ctx& ctx) {
  state_ = ServerState::looking;
  leader_ = kNoNode;
  established_ = false;
  ctx.cancel_timer(limit_timer);
  ctx.cancel_timer(ping_timer);
  ctx.cancel_timer(finalize_timer);
  finalizing_ = false;
  ++logical_clock_;
  proposal_ = initial_vote();
  std::fill(recvset_.begin(), recvset_.end(), Vote{});
  std::fill(outofelection_.begin(), outofelection_.end(), Vote{});
  notification_timeout_ = notification_timeout_min_;
  report(ctx);
  send_notifications(ctx);
  ctx.set_timer(notification_timer, notification_timeout_);
  // FLE: ZooKeeper's own notification comes back to it through its queue; a
  // one-node ensemble is its own quorum and decides on that alone.
  check_quorum_for_proposal(ctx);
}

// FLE sendNotifications: the current proposal to every other server. A
// vote that changes again within notification_gap of the last broadcast is
// sent once, when the gap ends: ZooKeeper's QuorumCnxManager keeps only the
// newest message per peer (SEND_CAPACITY = 1), so a burst of vote changes
// reaches the wire as the last of them.
void Node::send_notifications(Ctx& ctx) {
  if (ctx.now() - last_broadcast_at_ < notification_gap_) {
    if (!broadcast_pending_)
      ctx.set_timer(send_timer, last_broadcast_at_ + notification_gap_ - ctx.now());
    broadcast_pending_ = true;
    return;
  }
  broadcast_pending_ = false;
  last_broadcast_at_ = ctx.now();
  ctx.broadcast(vote_message(proposal_, logical_clock_));
}

void Node::update_proposal(Ctx& ctx, const Vote& vote) {
  proposal_ =
      Vote{vote.leader, vote.zxid, logical_clock_, vote.peer_epoch, ServerState::looking, true};
  // A changed vote ends any finalize wait: FLE only decides after
  // finalize_wait with no better vote.
  if (finalizing_) {
    finalizing_ = false;
    ctx.cancel_timer(finalize_timer);
  }
  send_notifications(ctx);
}

void Node::handle_notification(Ctx& ctx, NodeId from, const Message& m) {
  if (state_ == ServerState::looking) {
    // FLE WorkerReceiver: a LOOKING server that hears from a LOOKING server
    // in an older round answers with its own vote, so the laggard catches up.
    if (m.state == ServerState::looking && m.election_epoch < logical_clock_)
      ctx.send(from, vote_message(proposal_, logical_clock_));
    looking_notification(ctx, from, m);
  } else {
    settled_notification(ctx, from, m);
  }
}

// FLE WorkerReceiver: a server that is not LOOKING answers a LOOKING server
// with the vote it settled on (its leader), so that a late server can join.
void Node::settled_notification(Ctx& ctx, NodeId from, const Message& m) {
  if (m.state != ServerState::looking) return;
  ctx.send(from, vote_message(current_vote_, current_vote_.election_epoch));
}

// FLE lookForLeader, the loop body for one notification.
void Node::looking_notification(Ctx& ctx, NodeId from, const Message& m) {
  // FLE: the poll timeout (notTimeout) runs from the last notification.
  ctx.set_timer(notification_timer, notification_timeout_);
  const Vote vote{m.leader, m.zxid, m.election_epoch, m.epoch, m.state, true};
  if (m.state == ServerState::looking) {
    if (m.election_epoch > logical_clock_) {
      // FLE: a newer round: join it, forget this round's votes, and compare
      // the notification with our own initial vote, not the old proposal.
      logical_clock_ = m.election_epoch;
      std::fill(recvset_.begin(), recvset_.end(), Vote{});
      const Vote mine = initial_vote();
      update_proposal(ctx, vote_is_better(vote, mine, legacy_vote_order_) ? vote : mine);
    } else if (m.election_epoch < logical_clock_) {
      return;  // FLE: notifications of older rounds are dropped
    } else if (vote_is_better(vote, proposal_, legacy_vote_order_)) {
      update_proposal(ctx, vote);  // FLE: adopt a better vote and rebroadcast
    }
    recvset_[from] = vote;
    check_quorum_for_proposal(ctx);
    return;
  }
  // FOLLOWING or LEADING: the sender already settled.
  if (m.election_epoch == logical_clock_) {
    // FLE: same round: a quorum for that vote and a leader that says it is
    // LEADING (checkLeader) end the election.
    recvset_[from] = vote;
    if (quorum_agrees(recvset_, vote, true) &&
        check_leader(recvset_, vote.leader, vote.election_epoch)) {
      decide(ctx, vote);
      return;
    }
  }
  // FLE outofelection: before joining an established ensemble, a quorum
  // must follow the same leader, and that leader must be LEADING
  // (ZOOKEEPER-1732: the map holds votes of any round).
  outofelection_[from] = vote;
  if (quorum_agrees(outofelection_, vote, false) &&
      check_leader(outofelection_, vote.leader, vote.election_epoch)) {
    logical_clock_ = vote.election_epoch;
    decide(ctx, vote);
  }
}

// FLE getVoteTracker / hasAllQuorums: the senders whose vote equals `vote`.
// This node's own LOOKING vote travels to itself in ZooKeeper
// (sendNotifications includes self), so it is in recvset but never in
// outofelection; here it counts directly when `include_self`.
bool Node::quorum_agrees(const std::vector<Vote>& votes, const Vote& vote,
                         bool include_self) const {
  NodeSet agree;
  for (NodeId id = 1; id <= nodes_; ++id)
    if (votes[id].present && votes[id].same(vote)) agree.insert(id);
  if (include_self && proposal_.same(vote)) agree.insert(self_);
  return agree.size() >= quorum_;
}

// FLE checkLeader: if the leader is another server, it must have told us it
// is LEADING; if it is us, the round must be ours. This stops a quorum of
// stale votes from electing a server that crashed.
bool Node::check_leader(const std::vector<Vote>& votes, NodeId leader, Epoch election_epoch) const {
  if (leader != self_) return votes[leader].present && votes[leader].state == ServerState::leading;
  return logical_clock_ == election_epoch;
}

void Node::check_quorum_for_proposal(Ctx& ctx) {
  if (finalizing_) return;  // already waiting; a change of vote cancels it
  if (!quorum_agrees(recvset_, proposal_, true)) return;
  // FLE: a quorum agrees; decide only if no better vote arrives within
  // finalizeWait.
  finalizing_ = true;
  ctx.set_timer(finalize_timer, finalize_wait_);
}

void Node::finalize(Ctx& ctx) {
  if (state_ != ServerState::looking || !finalizing_) return;
  finalizing_ = false;
  decide(ctx, proposal_);
}

// FLE: a poll that times out resends the notifications and doubles the
// timeout, up to the maximum.
void Node::notification_timeout(Ctx& ctx) {
  if (state_ != ServerState::looking) return;
  last_broadcast_at_ = -kDay;  // a resend is never held back by the gap
  send_notifications(ctx);
  notification_timeout_ = std::min(2 * notification_timeout_, notification_timeout_max_);
  ctx.set_timer(notification_timer, notification_timeout_);
}

// FLE setPeerState + leaveInstance: LEADING if the vote names us, else
// FOLLOWING; then Zab's phases start.
void Node::decide(Ctx& ctx, const Vote& vote) {
  current_vote_ = Vote{vote.leader,          vote.zxid, vote.election_epoch, vote.peer_epoch,
                       ServerState::looking, true};
  ctx.cancel_timer(notification_timer);
  ctx.cancel_timer(finalize_timer);
  ctx.cancel_timer(send_timer);
  broadcast_pending_ = false;
  finalizing_ = false;
  if (vote.leader == self_)
    start_leading(ctx);
  else
    start_following(ctx);
}

}  // namespace electsim::zab
