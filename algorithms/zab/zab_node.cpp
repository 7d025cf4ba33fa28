// Zab's discovery and synchronization phases (Zab paper, DSN 2011, section
// IV, phases 1 and 2, "Zab 1.0" as ZooKeeper implements it), the leader's and
// followers' PING liveness, and the node's entry points; see zab_node.hpp.
// "Leader", "LearnerHandler", "Learner" cite ZooKeeper's classes.
#include "algorithms/zab/zab_node.hpp"

#include <algorithm>

namespace electsim::zab {

Node::Node(const Config& config, NodeId self, std::uint32_t nodes)
    : finalize_wait_(config.finalize_wait),
      notification_timeout_min_(config.notification_timeout),
      notification_timeout_max_(
          std::max(config.notification_timeout, config.max_notification_timeout)),
      notification_gap_(config.notification_gap),
      tick_(config.tick),
      init_limit_(config.init_limit),
      sync_limit_(config.sync_limit),
      legacy_vote_order_(config.legacy_vote_order),
      initial_(self < config.initial.size() ? config.initial[self] : InitialState{}),
      self_(self),
      nodes_(nodes),
      quorum_(nodes / 2 + 1),
      recvset_(nodes + 1),
      outofelection_(nodes + 1),
      last_heard_(nodes + 1, 0) {}

void Node::on_start(Ctx& ctx, const Durable* disk) {
  if (disk != nullptr) {
    durable_ = *disk;
  } else {
    // params.initial: a history this node had before the run.
    durable_ = Durable{initial_.epoch, initial_.epoch, initial_.zxid};
    if (initial_ != InitialState{}) ctx.persist(durable_);
  }
  // QuorumPeer starts LOOKING.
  look_for_leader(ctx);
}

void Node::on_campaign(Ctx& ctx) {
  look_for_leader(ctx);
}

void Node::on_timer(Ctx& ctx, TimerId timer) {
  switch (timer) {
    case notification_timer:
      notification_timeout(ctx);
      break;
    case finalize_timer:
      finalize(ctx);
      break;
    case send_timer:
      if (state_ == ServerState::looking && broadcast_pending_) {
        last_broadcast_at_ = -kDay;
        send_notifications(ctx);
      }
      break;
    case limit_timer:
      // Leader: initLimit passed without a quorum establishing the epoch
      // ("Timeout while waiting for epoch from quorum"). Follower: no
      // UPTODATE within initLimit, or the leader silent for syncLimit.
      if (state_ != ServerState::looking) look_for_leader(ctx);
      break;
    case ping_timer:
      if (state_ == ServerState::leading)
        leader_tick(ctx);
      else if (state_ == ServerState::following && phase_ == LearnerPhase::connecting) {
        // Learner.connectToLeader retries: the leader may still be LOOKING
        // (in its finalize wait) and have dropped our FOLLOWERINFO.
        ctx.send(leader_, Message{MessageType::follower_info, ServerState::following, kNoNode, 0, 0,
                                  durable_.accepted_epoch, false});
        ctx.set_timer(ping_timer, tick_);
      }
      break;
    default:
      break;
  }
}

void Node::on_message(Ctx& ctx, NodeId from, const Message& m) {
  if (m.type == MessageType::notification) {
    handle_notification(ctx, from, m);
    return;
  }
  if (state_ == ServerState::leading) {
    switch (m.type) {
      case MessageType::follower_info:
        handle_follower_info(ctx, from, m);
        break;
      case MessageType::ack_epoch:
        handle_ack_epoch(ctx, from, m);
        break;
      case MessageType::ack:
        handle_ack(ctx, from, m);
        break;
      case MessageType::ping:
        if (m.epoch == new_epoch_) last_heard_[from] = ctx.now();
        break;
      default:
        break;
    }
    return;
  }
  // Zab packets reach a follower only from the leader it follows.
  if (state_ != ServerState::following || from != leader_) return;
  switch (m.type) {
    case MessageType::leader_info:
      handle_leader_info(ctx, from, m);
      break;
    case MessageType::new_leader:
      handle_new_leader(ctx, from, m);
      break;
    case MessageType::up_to_date:
      handle_up_to_date(ctx, from, m);
      break;
    case MessageType::ping:
      handle_ping(ctx, from, m);
      break;
    default:
      break;
  }
}

Message Node::zab_message(MessageType type) const {
  return Message{type, state_, leader_, durable_.last_zxid, 0, new_epoch_, false};
}

// --- leader: phase 1 (discovery) and 2 (synchronization) ------------------------

void Node::start_leading(Ctx& ctx) {
  state_ = ServerState::leading;
  leader_ = self_;
  established_ = epoch_proposed_ = epoch_acked_ = false;
  new_epoch_ = 0;
  // Leader.getEpochToPropose: the leader counts itself with its own
  // acceptedEpoch.
  max_accepted_epoch_ = durable_.accepted_epoch;
  connecting_.clear();
  connecting_.insert(self_);
  learners_.clear();
  epoch_ackers_.clear();
  epoch_ackers_.insert(self_);  // Leader.lead: waitForEpochAck(self, leaderStateSummary)
  waiting_sync_.clear();
  newleader_acks_.clear();
  newleader_acks_.insert(self_);
  std::fill(last_heard_.begin(), last_heard_.end(), Time{0});
  report(ctx);
  // Leader.lead: the epoch must be established within initLimit ticks.
  ctx.set_timer(limit_timer, static_cast<Time>(init_limit_) * tick_);
  // A single-node ensemble is its own quorum.
  handle_follower_info(ctx, self_, Message{});
}

// Zab phase 1 (Leader.getEpochToPropose): once a quorum (the leader
// included) has sent its acceptedEpoch, the new epoch is one above the
// largest; LEADERINFO carries it to every connected follower.
void Node::handle_follower_info(Ctx& ctx, NodeId from, const Message& m) {
  if (from != self_) {
    learners_.insert(from);
    last_heard_[from] = ctx.now();
  }
  if (!epoch_proposed_) {
    if (from != self_) {
      connecting_.insert(from);
      max_accepted_epoch_ = std::max(max_accepted_epoch_, m.epoch);
    }
    if (connecting_.size() < quorum_) return;
    epoch_proposed_ = true;
    new_epoch_ = max_accepted_epoch_ + 1;
    // Zab phase 1: the prospective leader accepts the new epoch too, durably.
    durable_.accepted_epoch = new_epoch_;
    ctx.persist(durable_);
    for (NodeId id = 1; id <= nodes_; ++id)
      if (id != self_ && learners_.contains(id))
        ctx.send(id, zab_message(MessageType::leader_info));
    if (epoch_ackers_.size() >= quorum_) epoch_quorum_reached(ctx);  // one node
    return;
  }
  // Later followers (and resent FOLLOWERINFOs) get the epoch already chosen.
  if (from != self_) ctx.send(from, zab_message(MessageType::leader_info));
}

// Zab phase 1 (Leader.waitForEpochAck): an ACKEPOCH counts unless it is
// ZooKeeper's -1 ("already accepted this epoch"). A follower whose history
// is more recent than the leader's (StateSummary.isMoreRecentThan: higher
// currentEpoch, or equal and higher zxid) is refused, as LearnerHandler
// does by throwing; FLE's vote order is what should prevent that.
void Node::handle_ack_epoch(Ctx& ctx, NodeId from, const Message& m) {
  if (!epoch_proposed_) return;
  last_heard_[from] = ctx.now();
  if (epoch_acked_) {
    send_new_leader(ctx, from);  // electionFinished: go straight to sync
    return;
  }
  if (!m.no_ack) {
    const bool ahead = m.epoch > durable_.current_epoch ||
                       (m.epoch == durable_.current_epoch && m.zxid > durable_.last_zxid);
    if (ahead) return;  // the follower times out after initLimit and looks again
    epoch_ackers_.insert(from);
  }
  waiting_sync_.insert(from);
  if (epoch_ackers_.size() >= quorum_) epoch_quorum_reached(ctx);
}

// Zab phase 2 starts once a quorum acknowledged the epoch (Leader.lead:
// self.setCurrentEpoch(epoch) after waitForEpochAck), then NEWLEADER goes to
// every follower that answered LEADERINFO.
void Node::epoch_quorum_reached(Ctx& ctx) {
  epoch_acked_ = true;
  durable_.current_epoch = new_epoch_;
  ctx.persist(durable_);
  current_vote_.peer_epoch = new_epoch_;  // QuorumPeer.updateElectionVote
  for (NodeId id = 1; id <= nodes_; ++id)
    if (id != self_ && waiting_sync_.contains(id)) send_new_leader(ctx, id);
  if (newleader_acks_.size() >= quorum_) handle_ack(ctx, self_, zab_message(MessageType::ack));
}

// LearnerHandler: the follower's history is brought to the leader's (DIFF,
// TRUNC or SNAP; here just the last zxid), then NEWLEADER.
void Node::send_new_leader(Ctx& ctx, NodeId to) {
  ctx.send(to, zab_message(MessageType::new_leader));
}

// Zab phase 2 (Leader.waitForNewLeaderAck): the leader is established when
// a quorum, itself included, ACKs NEWLEADER; each ACKer then gets UPTODATE.
void Node::handle_ack(Ctx& ctx, NodeId from, const Message& m) {
  if (!epoch_acked_ || m.epoch != new_epoch_) return;
  if (from != self_) {
    last_heard_[from] = ctx.now();
    newleader_acks_.insert(from);
  }
  if (established_) {
    ctx.send(from, zab_message(MessageType::up_to_date));
    return;
  }
  if (newleader_acks_.size() < quorum_) return;
  established_ = true;
  report(ctx);
  for (NodeId id = 1; id <= nodes_; ++id)
    if (id != self_ && newleader_acks_.contains(id))
      ctx.send(id, zab_message(MessageType::up_to_date));
  ctx.cancel_timer(limit_timer);  // the initLimit no longer applies
  ctx.set_timer(ping_timer, tick_ / 2);
}

// Leader.lead's loop, every tickTime/2: ping every synced follower, and step
// down ("Not sufficient followers synced") unless a quorum, the leader
// included, was heard from within syncLimit ticks.
void Node::leader_tick(Ctx& ctx) {
  if (!established_) return;
  const Time limit = static_cast<Time>(sync_limit_) * tick_;
  NodeSet synced;
  synced.insert(self_);
  for (NodeId id = 1; id <= nodes_; ++id)
    if (id != self_ && newleader_acks_.contains(id) && ctx.now() - last_heard_[id] <= limit)
      synced.insert(id);
  if (synced.size() < quorum_) {
    look_for_leader(ctx);
    return;
  }
  for (NodeId id = 1; id <= nodes_; ++id)
    if (id != self_ && newleader_acks_.contains(id)) ctx.send(id, zab_message(MessageType::ping));
  ctx.set_timer(ping_timer, tick_ / 2);
}

// --- follower: phase 1 and 2 ------------------------------------------------------

// Follower.followLeader / Learner.registerWithLeader: send our acceptedEpoch.
void Node::start_following(Ctx& ctx) {
  state_ = ServerState::following;
  leader_ = current_vote_.leader;
  phase_ = LearnerPhase::connecting;
  new_epoch_ = 0;
  report(ctx);
  ctx.send(leader_, Message{MessageType::follower_info, ServerState::following, kNoNode, 0, 0,
                            durable_.accepted_epoch, false});
  ctx.set_timer(ping_timer, tick_);  // connection retries
  ctx.set_timer(limit_timer, static_cast<Time>(init_limit_) * tick_);
}

// Learner.registerWithLeader on LEADERINFO: accept a higher epoch durably
// and ACK it with our currentEpoch; ZooKeeper's -1 for an epoch already
// accepted (it must not count twice); a lower epoch is an error.
void Node::handle_leader_info(Ctx& ctx, NodeId /*from*/, const Message& m) {
  if (phase_ != LearnerPhase::connecting) return;
  Message reply{MessageType::ack_epoch,
                ServerState::following,
                kNoNode,
                durable_.last_zxid,
                0,
                durable_.current_epoch,
                false};
  if (m.epoch > durable_.accepted_epoch) {
    durable_.accepted_epoch = m.epoch;
    ctx.persist(durable_);  // before the ACK leaves (Zab: f.a := e')
  } else if (m.epoch == durable_.accepted_epoch) {
    reply.no_ack = true;
  } else {
    look_for_leader(ctx);  // "Leaders epoch ... is less than accepted epoch"
    return;
  }
  new_epoch_ = m.epoch;
  phase_ = LearnerPhase::acked_epoch;
  ctx.cancel_timer(ping_timer);
  ctx.send(leader_, reply);
}

// Learner.syncWithLeader on NEWLEADER: take the leader's history and its
// epoch as currentEpoch (durably), then ACK.
void Node::handle_new_leader(Ctx& ctx, NodeId /*from*/, const Message& m) {
  if (phase_ != LearnerPhase::acked_epoch || m.epoch != new_epoch_) return;
  durable_.current_epoch = m.epoch;
  durable_.last_zxid = m.zxid;
  ctx.persist(durable_);
  current_vote_.peer_epoch = m.epoch;  // QuorumPeer.updateElectionVote
  phase_ = LearnerPhase::acked_newleader;
  report(ctx);
  Message ack = zab_message(MessageType::ack);
  ctx.send(leader_, ack);
}

// UPTODATE: the leader is established; from now the follower names it and
// expects to hear from it within syncLimit ticks.
void Node::handle_up_to_date(Ctx& ctx, NodeId /*from*/, const Message& m) {
  if (phase_ != LearnerPhase::acked_newleader || m.epoch != new_epoch_) return;
  phase_ = LearnerPhase::synced;
  report(ctx);
  ctx.set_timer(limit_timer, static_cast<Time>(sync_limit_) * tick_);
}

// Follower.processPacket: answer the leader's PING; any packet from the
// leader proves it alive (the socket read timeout of syncLimit ticks).
void Node::handle_ping(Ctx& ctx, NodeId /*from*/, const Message& m) {
  if (phase_ != LearnerPhase::synced || m.epoch != new_epoch_) return;
  ctx.send(leader_, zab_message(MessageType::ping));
  ctx.set_timer(limit_timer, static_cast<Time>(sync_limit_) * tick_);
}

void Node::report(Ctx& ctx) {
  Role role = Role::candidate;
  NodeId leader = kNoNode;
  if (state_ == ServerState::leading && established_) {
    role = Role::leader;
    leader = self_;
  } else if (state_ == ServerState::following) {
    role = Role::follower;
    if (phase_ == LearnerPhase::synced) leader = leader_;
  }
  ctx.report(role, durable_.current_epoch, leader);
}

}  // namespace electsim::zab
