// A Paxos node's rules; see paxos_node.hpp. "PMS" below is Paxos Made Simple
// (Lamport 2001); each rule cites its section.
#include "algorithms/paxos/paxos_node.hpp"

#include <algorithm>
#include <string>

#include "sim/errors.hpp"

namespace electsim::paxos {

Node::Node(const Config& config, NodeId self, std::uint32_t nodes)
    : config_(config), self_(self), nodes_(nodes), majority_(nodes / 2 + 1) {}

NodeId Node::leader() const {
  if (state_ == State::leader) return self_;
  if (state_ != State::follower || durable_.decided_leader == self_) return kNoNode;
  return durable_.decided_leader;
}

void Node::on_start(Ctx& ctx, const Durable* disk) {
  // PMS 2.5: acceptors keep their promises and acceptances in stable storage.
  // The mutant persist_state=false restarts its acceptor with no promise and
  // nothing accepted (it keeps the decided epoch), so it may promise or accept
  // below a ballot it already answered, and two values can be chosen for one
  // epoch (tests/paxos_test.cpp, scenarios/paxos-persist-state-mutant.json).
  if (disk != nullptr) {
    durable_ = *disk;
    if (!config_.persist_state) {
      durable_.promised = {};
      durable_.accepted = {};
      durable_.accepted_value = kNoNode;
    }
  }
  // A restarted node does not resume leading: leadership ends with a crash
  // (DESIGN.md, Leaders and terms). It names its last known leader, if that
  // is another node, and suspects it like any follower.
  report(ctx);
  reset_suspicion_timer(ctx);
}

void Node::on_campaign(Ctx& ctx) {
  // The `campaign` fault: act as if the suspicion timeout fired now. A leader
  // has no suspicion timeout, so it ignores it (as Raft's leader does).
  if (state_ != State::leader) start_ballot(ctx);
}

void Node::on_timer(Ctx& ctx, TimerId timer) {
  switch (timer) {
    case suspicion_timer:
      // PMS 2.4: progress needs a distinguished proposer; a follower that has
      // not heard from its leader for a randomized timeout becomes one.
      if (state_ == State::follower) start_ballot(ctx);
      break;
    case heartbeat_timer:
      if (state_ != State::leader) return;
      ctx.broadcast(
          Message{MessageType::heartbeat, durable_.decided_epoch, {}, {}, self_, kNoNode});
      ctx.set_timer(heartbeat_timer, config_.heartbeat);
      break;
    case retry_timer:
      // A ballot that neither finished nor was refused lost messages or a
      // majority: try again with a higher round.
      if (proposing()) start_ballot(ctx);
      break;
    case backoff_timer:
      if (state_ == State::backing_off) start_ballot(ctx);
      break;
    default:
      break;
  }
}

// --- messages --------------------------------------------------------------------

void Node::on_message(Ctx& ctx, NodeId from, const Message& m) {
  switch (m.type) {
    case MessageType::prepare:
      handle_prepare(ctx, from, m);
      break;
    case MessageType::promise:
      handle_promise(ctx, from, m);
      break;
    case MessageType::nack:
      handle_nack(ctx, m);
      break;
    case MessageType::accept:
      handle_accept(ctx, from, m);
      break;
    case MessageType::accepted:
      handle_accepted(ctx, from, m);
      break;
    case MessageType::decided:
      learn_decided(ctx, m.epoch, m.value);
      break;
    case MessageType::heartbeat:
      handle_heartbeat(ctx, from, m);
      break;
  }
}

void Node::handle_prepare(Ctx& ctx, NodeId from, const Message& m) {
  // A proposer runs epoch e only once it knows e - 1 was decided; catch up.
  if (m.epoch > open_epoch()) learn_decided(ctx, m.epoch - 1, m.previous_leader);
  if (m.epoch < open_epoch()) {
    send_decided(ctx, from);  // that instance is over: tell the proposer its outcome
    return;
  }
  highest_round_ = std::max(highest_round_, m.ballot.round);
  // PMS 2.2, phase 1(b): promise never to accept a ballot below b, and return
  // the highest-numbered proposal accepted, if any; only if b is above every
  // earlier promise.
  if (m.ballot > durable_.promised) {
    durable_.promised = m.ballot;
    ctx.persist(durable_);  // PMS 2.5: remember the promise before answering
    ctx.send(from, Message{MessageType::promise, m.epoch, m.ballot, durable_.accepted,
                           durable_.accepted_value, kNoNode});
    saw_progress(ctx, m.ballot);
  } else {
    // End of PMS 2.3: inform the proposer so it abandons its proposal.
    ctx.send(from,
             Message{MessageType::nack, m.epoch, m.ballot, durable_.promised, kNoNode, kNoNode});
  }
}

void Node::handle_promise(Ctx& ctx, NodeId from, const Message& m) {
  if (state_ != State::preparing || m.epoch != open_epoch() || m.ballot != ballot_) return;
  promises_.insert(from);
  // PMS 2.2, phase 2(a): remember the highest-numbered proposal among the
  // responses; its value is the one to propose.
  if (m.other > best_accepted_) {
    best_accepted_ = m.other;
    best_value_ = m.value;
  }
  if (promises_.size() >= majority_) start_accept(ctx);
}

void Node::handle_nack(Ctx& ctx, const Message& m) {
  if (!proposing() || m.epoch != open_epoch() || m.ballot != ballot_) return;
  highest_round_ = std::max(highest_round_, m.other.round);
  abandon_ballot(ctx);
}

void Node::handle_accept(Ctx& ctx, NodeId from, const Message& m) {
  if (m.epoch > open_epoch()) learn_decided(ctx, m.epoch - 1, m.previous_leader);
  if (m.epoch < open_epoch()) {
    send_decided(ctx, from);
    return;
  }
  highest_round_ = std::max(highest_round_, m.ballot.round);
  // PMS 2.2, phase 2(b): accept unless a prepare with a higher number was
  // promised (P1a), i.e. accept if b is at least the promise.
  if (m.ballot >= durable_.promised) {
    durable_.promised = m.ballot;
    durable_.accepted = m.ballot;
    durable_.accepted_value = m.value;
    ctx.persist(durable_);
    // ACCEPTED goes to the proposer only, which then tells everyone (PMS 2.3,
    // a distinguished learner): n - 1 + n - 1 messages instead of n(n - 1).
    ctx.send(from, Message{MessageType::accepted, m.epoch, m.ballot, {}, m.value, kNoNode});
    saw_progress(ctx, m.ballot);
  } else {
    ctx.send(from,
             Message{MessageType::nack, m.epoch, m.ballot, durable_.promised, kNoNode, kNoNode});
  }
}

void Node::handle_accepted(Ctx& ctx, NodeId from, const Message& m) {
  if (state_ != State::accepting || m.epoch != open_epoch() || m.ballot != ballot_) return;
  accepts_.insert(from);
  if (accepts_.size() < majority_) return;
  // PMS 2.3: the value is chosen once a majority accepted one ballot; the
  // proposer, having learned it, tells every other learner.
  const Epoch epoch = open_epoch();
  const NodeId value = value_;
  ctx.broadcast(Message{MessageType::decided, epoch, ballot_, {}, value, kNoNode});
  learn_decided(ctx, epoch, value);
}

void Node::handle_heartbeat(Ctx& ctx, NodeId from, const Message& m) {
  if (m.epoch < durable_.decided_epoch) {
    send_decided(ctx, from);  // a deposed leader learns of the newer epoch and steps down
    return;
  }
  if (m.epoch > durable_.decided_epoch) {
    learn_decided(ctx, m.epoch, m.value);
    return;
  }
  // Two leaders of one epoch happen only with the mutant; keep the first.
  if (m.value != durable_.decided_leader || state_ == State::leader) return;
  // The leader is alive after all: give up a ballot for the next epoch, which
  // would only replace a working leader (a choice; PMS leaves it open).
  if (state_ != State::follower) {
    become_follower(ctx);
    return;
  }
  reset_suspicion_timer(ctx);
}

void Node::send_decided(Ctx& ctx, NodeId to) {
  if (durable_.decided_epoch == 0) return;
  ctx.send(
      to,
      Message{
          MessageType::decided, durable_.decided_epoch, {}, {}, durable_.decided_leader, kNoNode});
}

void Node::saw_progress(Ctx& ctx, const Ballot& b) {
  switch (state_) {
    case State::follower:
      // Give the proposer time to finish instead of pre-empting it (as Raft
      // resets its election timer when it grants a vote).
      reset_suspicion_timer(ctx);
      break;
    case State::backing_off:
      ctx.set_timer(backoff_timer,
                    ctx.rng().between(config_.backoff_delay_min, config_.backoff_delay_max));
      break;
    case State::preparing:
    case State::accepting:
      // Our own acceptor now refuses our ballot: we are pre-empted, exactly as
      // if another acceptor had sent a NACK.
      if (b > ballot_) abandon_ballot(ctx);
      break;
    case State::leader:
      break;  // it leads the decided epoch until a newer one is decided
  }
}

// --- learning --------------------------------------------------------------------

void Node::learn_decided(Ctx& ctx, Epoch epoch, NodeId leader) {
  if (epoch <= durable_.decided_epoch) return;
  ELECTSIM_ASSERT(leader != kNoNode,
                  "node " + std::to_string(self_) + " learned an epoch without a leader");
  // The open epoch moves on: its acceptor state is reset, as a new instance
  // starts with no promise (older instances are decided and refused).
  durable_ = Durable{epoch, leader, {}, {}, kNoNode};
  ctx.persist(durable_);
  highest_round_ = 0;
  ballot_ = {};
  // DESIGN.md: a node leads from learning that its own value was chosen; it
  // stops when it learns of a higher epoch decided.
  if (leader == self_)
    become_leader(ctx);
  else
    become_follower(ctx);
}

// --- proposer --------------------------------------------------------------------

void Node::start_ballot(Ctx& ctx) {
  // PMS 2.5: a higher round than any seen in this epoch; the node id in the
  // ballot keeps different proposers' ballots distinct.
  const std::uint64_t round = std::max(highest_round_, durable_.promised.round) + 1;
  ballot_ = Ballot{round, self_};
  highest_round_ = round;
  // The proposer's own acceptor promises first, and durably, so a restarted
  // proposer never issues the same ballot twice (PMS 2.5).
  durable_.promised = ballot_;
  ctx.persist(durable_);
  state_ = State::preparing;
  promises_.clear();
  promises_.insert(self_);
  best_accepted_ = durable_.accepted;
  best_value_ = durable_.accepted_value;
  accepts_.clear();
  value_ = kNoNode;
  ctx.cancel_timer(suspicion_timer);
  ctx.cancel_timer(backoff_timer);
  ctx.set_timer(retry_timer,
                ctx.rng().between(config_.retry_timeout_min, config_.retry_timeout_max));
  report(ctx);
  if (promises_.size() >= majority_) {
    start_accept(ctx);
    return;
  }
  ctx.broadcast(
      Message{MessageType::prepare, open_epoch(), ballot_, {}, kNoNode, durable_.decided_leader});
}

void Node::start_accept(Ctx& ctx) {
  ELECTSIM_ASSERT(durable_.promised == ballot_,
                  "node " + std::to_string(self_) + " accepts below its promise");
  // PMS 2.2, phase 2(a): the value of the highest-numbered proposal among the
  // promises, or, if none accepted anything, any value: this node itself.
  value_ = best_accepted_.none() ? self_ : best_value_;
  state_ = State::accepting;
  durable_.accepted = ballot_;
  durable_.accepted_value = value_;
  ctx.persist(durable_);
  accepts_.clear();
  accepts_.insert(self_);
  ctx.set_timer(retry_timer,
                ctx.rng().between(config_.retry_timeout_min, config_.retry_timeout_max));
  if (accepts_.size() >= majority_) {  // a cluster of one
    learn_decided(ctx, open_epoch(), value_);
    return;
  }
  ctx.broadcast(
      Message{MessageType::accept, open_epoch(), ballot_, {}, value_, durable_.decided_leader});
}

void Node::abandon_ballot(Ctx& ctx) {
  // End of PMS 2.3: a pre-empted proposer abandons its proposal. PMS 2.4: two
  // proposers that retry at once can pre-empt each other forever, so wait a
  // random back-off first (unless disabled, to show exactly that).
  if (!config_.backoff) {
    start_ballot(ctx);
    return;
  }
  state_ = State::backing_off;
  promises_.clear();
  accepts_.clear();
  ctx.cancel_timer(retry_timer);
  ctx.set_timer(backoff_timer,
                ctx.rng().between(config_.backoff_delay_min, config_.backoff_delay_max));
  report(ctx);
}

void Node::become_follower(Ctx& ctx) {
  if (state_ == State::leader) ctx.cancel_timer(heartbeat_timer);
  state_ = State::follower;
  promises_.clear();
  accepts_.clear();
  ctx.cancel_timer(retry_timer);
  ctx.cancel_timer(backoff_timer);
  reset_suspicion_timer(ctx);
  report(ctx);
}

void Node::become_leader(Ctx& ctx) {
  state_ = State::leader;
  promises_.clear();
  accepts_.clear();
  ctx.cancel_timer(suspicion_timer);
  ctx.cancel_timer(retry_timer);
  ctx.cancel_timer(backoff_timer);
  // DECIDED already told everyone; the heartbeats keep them from suspecting.
  ctx.set_timer(heartbeat_timer, config_.heartbeat);
  report(ctx);
}

void Node::reset_suspicion_timer(Ctx& ctx) {
  ctx.set_timer(suspicion_timer,
                ctx.rng().between(config_.suspicion_timeout_min, config_.suspicion_timeout_max));
}

void Node::report(Ctx& ctx) {
  switch (state_) {
    case State::leader:
      ctx.report(Role::leader, durable_.decided_epoch, self_);
      break;
    case State::follower:
      ctx.report(Role::follower, durable_.decided_epoch, leader());
      break;
    default:
      ctx.report(Role::candidate, open_epoch(), kNoNode);
      break;
  }
}

}  // namespace electsim::paxos
