// A Bully process's rules; see bully_node.hpp. "GM" is Garcia-Molina 1982
// (the Bully algorithm), "Coulouris" is Coulouris, Dollimore,
// Kindberg and Blair, Distributed Systems, 5th ed., section 15.3.
#include "algorithms/bully/bully_node.hpp"

namespace electsim::bully {

Node::Node(const Config& config, NodeId self, std::uint32_t nodes)
    : config_(config), self_(self), nodes_(nodes) {}

void Node::on_start(Ctx& ctx, const Durable* disk) {
  if (disk != nullptr) {
    // GM: a process that recovers from a failure holds an election; Coulouris:
    // a process brought back up starts an election, and if it has the highest
    // id it becomes coordinator even though the current one is functioning
    // (hence "bully").
    durable_ = *disk;
    start_election(ctx);
    return;
  }
  // First boot (all processes start together at t=0). Our choice, see
  // docs/algorithms/bully.md: the highest id knows it is the highest and
  // announces at once; the others wait for that COORDINATOR with their
  // failure timeout and hold an election only if none comes. Had every
  // process started an election, each follower reached by a lower id's
  // ELECTION would start yet another one, and the highest id would announce
  // again for each ELECTION it receives: O(n^2) messages for nothing.
  ctx.persist(durable_);  // so that a restart is told apart from a first boot
  if (self_ == nodes_) {
    start_election(ctx);
    return;
  }
  ctx.set_timer(failure_timer, config_.failure_timeout);
}

void Node::on_campaign(Ctx& ctx) {
  // The `campaign` fault: act as if the failure detector had fired now.
  if (!in_election()) start_election(ctx);
}

void Node::on_timer(Ctx& ctx, TimerId timer) {
  switch (timer) {
    case answer_timer:
      // Coulouris: "If none arrives within time T, the process considers
      // itself the coordinator and sends a coordinator message to all
      // processes with lower identifiers".
      if (state_ == State::awaiting_answer) announce(ctx);
      break;
    case coordinator_timer:
      // Coulouris: "If none arrives [within T'], it begins another election."
      if (state_ == State::awaiting_coordinator) start_election(ctx);
      break;
    case heartbeat_timer:
      send_heartbeats(ctx);
      break;
    case failure_timer:
      // The failure detector: the coordinator (or, at first boot, any
      // coordinator) has been silent for failure_timeout.
      if (state_ == State::follower) start_election(ctx);
      break;
    default:
      break;
  }
}

// --- messages --------------------------------------------------------------------

void Node::on_message(Ctx& ctx, NodeId from, const Message& m) {
  note_term(ctx, m.term_);
  switch (m.type) {
    case MessageType::election:
      handle_election(ctx, from);
      break;
    case MessageType::answer:
      handle_answer(ctx);
      break;
    case MessageType::coordinator:
      handle_coordinator(ctx, from, m);
      break;
    case MessageType::heartbeat:
      handle_heartbeat(ctx, from);
      break;
    case MessageType::heartbeat_ack:
      handle_heartbeat_ack(ctx, from, m);
      break;
  }
}

void Node::handle_election(Ctx& ctx, NodeId from) {
  // Coulouris: the receiver "sends back an answer message and begins another
  // election unless it has begun one already". A coordinator is not in an
  // election, so it begins one too: the highest id re-announces at once.
  ctx.send(from, Message{MessageType::answer, durable_.highest_term, false});
  if (!in_election()) start_election(ctx);
}

void Node::handle_answer(Ctx& ctx) {
  // Coulouris: with an answer, wait a further T' for a coordinator message.
  // Our choice: T' runs from the first ANSWER (a higher process is alive, so
  // waiting out the rest of T would only delay the retry); later ANSWERs
  // change nothing.
  if (state_ != State::awaiting_answer) return;
  state_ = State::awaiting_coordinator;
  ctx.cancel_timer(answer_timer);
  ctx.set_timer(coordinator_timer, config_.coordinator_timeout);
}

void Node::handle_coordinator(Ctx& ctx, NodeId from, const Message& m) {
  if (from < self_) {
    // COORDINATOR goes only to lower ids, so this cannot come from a correct
    // process; a higher process that hears such a claim bullies (GM: the
    // coordinator must be the highest live process).
    if (!in_election()) start_election(ctx);
    return;
  }
  // Coulouris: the receiver "sets its variable elected to the identifier of the
  // coordinator" whatever it was doing, even following a higher id before (our
  // reading: no condition is stated, so none is applied).
  follow(ctx, from, m.term_);
}

void Node::handle_heartbeat(Ctx& ctx, NodeId from) {
  // Anyone alive answers; `leading` tells a follower whether its coordinator
  // still is one, and tells a probing coordinator that a higher id is alive.
  ctx.send(from, Message{MessageType::heartbeat_ack, durable_.highest_term,
                         state_ == State::coordinator});
}

void Node::handle_heartbeat_ack(Ctx& ctx, NodeId from, const Message& m) {
  if (state_ == State::follower && from == coordinator_ && m.leading) {
    ctx.set_timer(failure_timer, config_.failure_timeout);
    return;
  }
  if (state_ == State::coordinator && from > self_) {
    // A higher process is alive (typically: a partition healed), so by GM's
    // rule it, not this one, should be coordinator. Our choice: hold an
    // election, which reaches it and lets the highest live id announce.
    start_election(ctx);
  }
}

// --- transitions -------------------------------------------------------------------

void Node::start_election(Ctx& ctx) {
  stop_timers(ctx);
  coordinator_ = kNoNode;
  if (self_ == nodes_) {
    // Coulouris: "The process that knows it has the highest identifier can
    // elect itself as the coordinator simply by sending a coordinator message".
    announce(ctx);
    return;
  }
  state_ = State::awaiting_answer;
  report(ctx);
  // GM / Coulouris: ELECTION to every process with a higher id, then wait T.
  for (NodeId to = self_ + 1; to <= nodes_; ++to)
    ctx.send(to, Message{MessageType::election, durable_.highest_term, false});
  ctx.set_timer(answer_timer, config_.answer_timeout);
}

void Node::announce(Ctx& ctx) {
  stop_timers(ctx);
  // DESIGN.md, Leaders and terms: the term is the election counter, the highest
  // seen + 1, carried in COORDINATOR; persisted so a restart never reuses it.
  durable_.highest_term += 1;
  ctx.persist(durable_);
  term_ = durable_.highest_term;
  state_ = State::coordinator;
  coordinator_ = self_;
  report(ctx);
  for (NodeId to = 1; to < self_; ++to)
    ctx.send(to, Message{MessageType::coordinator, term_, false});
  // Only a coordinator below the highest id has anyone to probe.
  if (self_ < nodes_) ctx.set_timer(heartbeat_timer, config_.heartbeat);
}

void Node::follow(Ctx& ctx, NodeId coordinator, Term term) {
  stop_timers(ctx);
  state_ = State::follower;
  coordinator_ = coordinator;
  term_ = term;
  report(ctx);
  ctx.set_timer(heartbeat_timer, config_.heartbeat);
  ctx.set_timer(failure_timer, config_.failure_timeout);
}

void Node::send_heartbeats(Ctx& ctx) {
  const Message heartbeat{MessageType::heartbeat, durable_.highest_term, false};
  if (state_ == State::follower && coordinator_ != kNoNode) {
    ctx.send(coordinator_, heartbeat);
  } else if (state_ == State::coordinator && self_ < nodes_) {
    // Our extension: a coordinator believes every higher id is down; check it.
    for (NodeId to = self_ + 1; to <= nodes_; ++to) ctx.send(to, heartbeat);
  } else {
    return;  // in an election: no one to check
  }
  ctx.set_timer(heartbeat_timer, config_.heartbeat);
}

void Node::stop_timers(Ctx& ctx) {
  for (TimerId timer = 0; timer < kTimerNames.size(); ++timer) ctx.cancel_timer(timer);
}

void Node::note_term(Ctx& ctx, Term seen) {
  if (seen <= durable_.highest_term) return;
  durable_.highest_term = seen;
  ctx.persist(durable_);
}

void Node::report(Ctx& ctx) {
  switch (state_) {
    case State::follower:
      ctx.report(Role::follower, term_, coordinator_);
      break;
    case State::awaiting_answer:
    case State::awaiting_coordinator:
      ctx.report(Role::candidate, durable_.highest_term, kNoNode);
      break;
    case State::coordinator:
      ctx.report(Role::leader, term_, self_);
      break;
  }
}

}  // namespace electsim::bully
