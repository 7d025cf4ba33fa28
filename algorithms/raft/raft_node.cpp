// A Raft server's election rules; see raft_node.hpp. Each rule cites the
// paper ("Raft" = Ongaro and Ousterhout 2014) or the thesis (Ongaro 2014).
#include "algorithms/raft/raft_node.hpp"

#include <algorithm>

namespace electsim::raft {

Node::Node(const Config& config, NodeId self, std::uint32_t nodes)
    : config_(config), self_(self), nodes_(nodes), majority_(nodes / 2 + 1) {}

void Node::on_start(Ctx& ctx, const Durable* disk) {
  if (disk != nullptr) {
    durable_ = *disk;
    // The mutant: term and vote were never written to stable storage, so a
    // restarted server may vote again in a term it already voted in.
    if (!config_.persist_state) {
      durable_.current_term = 0;
      durable_.voted_for = kNoNode;
    }
  }
  report(ctx);
  reset_election_timer(ctx);
}

void Node::on_campaign(Ctx& ctx) {
  if (state_ != State::leader) election_timeout(ctx);  // a leader has no election timeout
}

void Node::on_timer(Ctx& ctx, TimerId timer) {
  if (timer == heartbeat_timer) {
    if (state_ != State::leader) return;
    // Raft 5.2: leaders send periodic heartbeats to maintain their authority.
    for (NodeId to = 1; to <= nodes_; ++to)
      if (to != self_) send_append(ctx, to);
    ctx.set_timer(heartbeat_timer, config_.heartbeat);
    return;
  }
  if (state_ == State::leader) {
    // Thesis 6.2 (check_quorum): step down if a whole election timeout passed
    // without hearing from a majority.
    if (active_.size() + 1 < majority_) {
      become_follower(ctx, durable_.current_term, kNoNode);
      return;
    }
    active_.clear();
    ctx.set_timer(election_timer, config_.election_timeout_min);
    return;
  }
  election_timeout(ctx);
}

void Node::election_timeout(Ctx& ctx) {
  if (config_.prevote)
    become_pre_candidate(ctx);
  else
    become_candidate(ctx);
}

// --- messages --------------------------------------------------------------------

void Node::on_message(Ctx& ctx, NodeId from, const Message& m) {
  const bool vote_request = m.type == MessageType::request_vote || m.type == MessageType::pre_vote;
  // Thesis 4.2.3: a server that heard from a current leader within the minimum
  // election timeout neither grants a vote nor raises its term. It does not
  // answer either (as etcd), so a disruptive server learns nothing from it.
  if (vote_request && in_leader_lease(ctx.now())) return;

  if (m.term_ > durable_.current_term) {
    // A pre-vote never changes the receiver's term (thesis 9.6), and a granted
    // pre-vote response carries the future term, not a real one.
    const bool prevote_traffic =
        m.type == MessageType::pre_vote || (m.type == MessageType::pre_vote_response && m.ok);
    if (!prevote_traffic) {
      // Raft 5.1: a server that sees a higher term adopts it and reverts to follower.
      become_follower(ctx, m.term_, m.type == MessageType::append_entries ? from : kNoNode);
    }
  }
  switch (m.type) {
    case MessageType::request_vote:
      handle_request_vote(ctx, from, m);
      break;
    case MessageType::pre_vote:
      handle_pre_vote(ctx, from, m);
      break;
    case MessageType::request_vote_response:
    case MessageType::pre_vote_response:
      handle_vote_response(ctx, from, m);
      break;
    case MessageType::append_entries:
      handle_append_entries(ctx, from, m);
      break;
    case MessageType::append_entries_response:
      handle_append_response(ctx, from, m);
      break;
  }
}

// Raft 5.4.1: the voter denies its vote if its own log is more up-to-date:
// compare the last entries' terms, then the logs' lengths.
bool Node::log_up_to_date(LogIndex index, Term log_term) const {
  return log_term > last_term() || (log_term == last_term() && index >= last_index());
}

bool Node::in_leader_lease(Time now) const {
  if (!config_.check_quorum || leader_ == kNoNode) return false;
  return state_ == State::leader || now - heard_from_leader_at_ < config_.election_timeout_min;
}

void Node::handle_request_vote(Ctx& ctx, NodeId from, const Message& m) {
  Message reply{MessageType::request_vote_response, durable_.current_term, 0, 0, 0, false};
  // Raft 5.2: at most one vote per term, first come first served; 5.4.1: only
  // for a candidate whose log is at least as up-to-date.
  if (m.term_ == durable_.current_term &&
      (durable_.voted_for == kNoNode || durable_.voted_for == from) &&
      log_up_to_date(m.index, m.log_term)) {
    durable_.voted_for = from;
    ctx.persist(durable_);  // Raft figure 2: persist before responding
    reply.ok = true;
    reset_election_timer(ctx);  // Raft 5.2: granting a vote resets the timer
  }
  ctx.send(from, reply);
}

void Node::handle_pre_vote(Ctx& ctx, NodeId from, const Message& m) {
  // Thesis 9.6: grant if the pre-candidate could win: its next term is above
  // ours and its log is up to date. Nothing is recorded.
  const bool grant = m.term_ > durable_.current_term && log_up_to_date(m.index, m.log_term);
  ctx.send(from, Message{MessageType::pre_vote_response, grant ? m.term_ : durable_.current_term, 0,
                         0, 0, grant});
}

void Node::handle_vote_response(Ctx& ctx, NodeId from, const Message& m) {
  if (!m.ok) return;
  if (m.type == MessageType::request_vote_response) {
    if (state_ != State::candidate || m.term_ != durable_.current_term) return;
    votes_.insert(from);
    // Raft 5.2: a candidate wins with votes from a majority of the full cluster.
    if (votes_.size() >= majority_) become_leader(ctx);
  } else {
    if (state_ != State::pre_candidate || m.term_ != durable_.current_term + 1) return;
    votes_.insert(from);
    if (votes_.size() >= majority_) become_candidate(ctx);
  }
}

void Node::handle_append_entries(Ctx& ctx, NodeId from, const Message& m) {
  Message reply{MessageType::append_entries_response, durable_.current_term, 0, 0, 0, false};
  if (m.term_ < durable_.current_term) {
    ctx.send(from, reply);  // Raft 5.1: reject; the stale leader learns the newer term
    return;
  }
  if (state_ == State::leader) {
    // Two leaders in one term: impossible in Raft (5.2); the checkers report
    // it when a mutant makes it happen. Refuse the other leader's entries.
    ctx.send(from, reply);
    return;
  }
  // Raft 5.2: a candidate that hears from a leader of its term returns to follower.
  if (state_ != State::follower || leader_ != from) become_follower(ctx, m.term_, from);
  heard_from_leader_at_ = ctx.now();
  reset_election_timer(ctx);
  // Raft 5.3: the consistency check on prevLogIndex/prevLogTerm.
  if (m.index > last_index() || term_at(m.index) != m.log_term) {
    reply.index = std::min(last_index(), m.index > 0 ? m.index - 1 : 0);
    ctx.send(from, reply);
    return;
  }
  LogIndex match = m.index;
  if (m.entry_term != 0) {
    const LogIndex index = m.index + 1;
    if (index <= last_index() && durable_.log[index - 1] != m.entry_term)
      durable_.log.resize(index - 1);
    if (index > last_index()) {
      durable_.log.push_back(m.entry_term);
      ctx.persist(durable_);
    }
    match = index;
  }
  reply.ok = true;
  reply.index = match;
  ctx.send(from, reply);
}

void Node::handle_append_response(Ctx& ctx, NodeId from, const Message& m) {
  if (state_ != State::leader || m.term_ != durable_.current_term) return;
  active_.insert(from);
  LogIndex& next = next_index_[from];
  if (m.ok) {
    next = std::max(next, m.index + 1);
  } else {
    // Raft 5.3: back up nextIndex; the follower's hint skips a run of misses.
    next = std::max<LogIndex>(1, std::min(next - 1, m.index + 1));
  }
  if (next <= last_index() && (!m.ok || m.index + 1 == next)) send_append(ctx, from);
}

// --- transitions -------------------------------------------------------------------

void Node::become_follower(Ctx& ctx, Term term, NodeId leader) {
  if (term > durable_.current_term) {
    durable_.current_term = term;
    durable_.voted_for = kNoNode;
    ctx.persist(durable_);
  }
  const bool was_leader = state_ == State::leader;
  state_ = State::follower;
  leader_ = leader;
  votes_.clear();
  if (was_leader) {
    ctx.cancel_timer(heartbeat_timer);
    reset_election_timer(ctx);
  }
  report(ctx);
}

void Node::become_pre_candidate(Ctx& ctx) {
  state_ = State::pre_candidate;
  leader_ = kNoNode;
  votes_.clear();
  votes_.insert(self_);
  report(ctx);
  reset_election_timer(ctx);
  if (votes_.size() >= majority_) {
    become_candidate(ctx);
    return;
  }
  ctx.broadcast(Message{MessageType::pre_vote, durable_.current_term + 1, last_index(), last_term(),
                        0, false});
}

void Node::become_candidate(Ctx& ctx) {
  // Raft 5.2: increment the term, vote for yourself, reset the timer, ask all.
  durable_.current_term += 1;
  durable_.voted_for = self_;
  ctx.persist(durable_);
  state_ = State::candidate;
  leader_ = kNoNode;
  votes_.clear();
  votes_.insert(self_);
  report(ctx);
  reset_election_timer(ctx);
  if (votes_.size() >= majority_) {
    become_leader(ctx);
    return;
  }
  ctx.broadcast(Message{MessageType::request_vote, durable_.current_term, last_index(), last_term(),
                        0, false});
}

void Node::become_leader(Ctx& ctx) {
  state_ = State::leader;
  leader_ = self_;
  votes_.clear();
  // Raft figure 2: nextIndex starts just past the leader's last entry; thesis
  // 6.4: the leader then appends a no-op entry of its own term.
  next_index_.assign(nodes_ + 1, last_index() + 1);
  durable_.log.push_back(durable_.current_term);
  ctx.persist(durable_);
  report(ctx);
  active_.clear();
  ctx.cancel_timer(election_timer);
  if (config_.check_quorum) ctx.set_timer(election_timer, config_.election_timeout_min);
  for (NodeId to = 1; to <= nodes_; ++to)
    if (to != self_) send_append(ctx, to);
  ctx.set_timer(heartbeat_timer, config_.heartbeat);
}

void Node::send_append(Ctx& ctx, NodeId to) {
  const LogIndex next = next_index_[to];
  const LogIndex prev = next - 1;
  const Term entry = next <= last_index() ? durable_.log[next - 1] : 0;
  ctx.send(to, Message{MessageType::append_entries, durable_.current_term, prev, term_at(prev),
                       entry, false});
}

void Node::reset_election_timer(Ctx& ctx) {
  // Raft 5.2: randomized election timeouts spread out the candidates.
  ctx.set_timer(election_timer,
                ctx.rng().between(config_.election_timeout_min, config_.election_timeout_max));
}

void Node::report(Ctx& ctx) {
  static constexpr Role kRoles[] = {Role::follower, Role::candidate, Role::candidate, Role::leader};
  ctx.report(kRoles[static_cast<int>(state_)], durable_.current_term, leader_);
}

}  // namespace electsim::raft
