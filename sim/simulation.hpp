// The simulation loop: one run of one algorithm's nodes against the virtual
// network and the fault schedule. It knows no algorithm: it is a template over
// the node type (sim/node_api.hpp), so messages are stored by value in the
// event queue and handlers are called without indirection.
//
// Rules that shape every trace (docs/trace.md):
// - all nodes start at t=0, in id order, before any event;
// - events run in (time, insertion order); events at or after `duration` are
//   not processed;
// - a crash discards the node's volatile state, its timers, its paused work and
//   the messages in flight to it (they are dropped on arrival as "stale");
//   what it last persisted survives and is handed to the restarted node;
// - partitions, isolation and cuts apply to messages sent while they hold.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#include "sim/errors.hpp"
#include "sim/event_queue.hpp"
#include "sim/fault_targets.hpp"
#include "sim/nemesis.hpp"
#include "sim/network.hpp"
#include "sim/node_api.hpp"
#include "sim/run_record.hpp"
#include "sim/scenario.hpp"
#include "sim/trace.hpp"

namespace electsim {

template <class Node>
class Simulation final : private Context<typename Node::Message, typename Node::Durable> {
 public:
  using Message = typename Node::Message;
  using Durable = typename Node::Durable;
  using Config = typename Node::Config;
  static constexpr std::size_t kTimers = Node::kTimerNames.size();

  Simulation(const Scenario& scenario, const Config& config, Trace& trace)
      : scenario_(scenario),
        config_(config),
        trace_(trace),
        network_(scenario.network, scenario.nodes, scenario.seed),
        slots_(scenario.nodes + 1) {
    record_.algorithm = scenario.algorithm;
    record_.nodes = scenario.nodes;
    record_.seed = scenario.seed;
    record_.duration = scenario.duration;
    record_.messages.sent_by_type.assign(Node::kMessageNames.size(), 0);
    for (std::string_view name : Node::kMessageNames) record_.message_names.push_back(name);
    faults_ = scenario.faults;
    if (scenario.nemesis) {
      NemesisSchedule drawn =
          draw_nemesis(*scenario.nemesis, scenario.nodes, scenario.seed, scenario.duration);
      record_.nemesis_schedule = drawn.entries;
      trace_.note(0, "nemesis_schedule", drawn.entries.dump());
      faults_.insert(faults_.end(), drawn.faults.begin(), drawn.faults.end());
    }
  }

  RunRecord run() {
    try {
      start();
      loop();
    } catch (const InternalError& e) {
      throw InternalError(fmt::format("{} [seed {}, t={}us]", e.what(), scenario_.seed, now_));
    }
    record_.trace_hash = trace_.hash();
    trace_.flush();
    return std::move(record_);
  }

 private:
  // --- events ------------------------------------------------------------------

  enum class Kind : std::uint8_t { deliver, timer, fault, undo };
  struct Payload {
    Kind kind;
    TimerId timer;      // timer
    NodeId node;        // deliver, timer: the node; fault, undo: the entry index
    NodeId from;        // deliver
    std::uint32_t aux;  // deliver: destination incarnation; timer: generation;
                        // fault: occurrence; undo: index into undos_
    Message message;    // deliver
  };

  struct TimerSlot {
    Time deadline = kNever;  // when the node wants it to fire; kNever if not set
    Time armed_at = kNever;  // time of the live queue entry, if any
    std::uint32_t generation = 0;
  };

  // Work that reached a paused node, handled in order when it resumes.
  struct Deferred {
    bool is_timer;
    TimerId timer;
    NodeId from;
    Message message;
  };

  struct Slot {
    std::optional<Node> node;     // empty while crashed
    std::optional<Durable> disk;  // what the node last persisted
    bool up = true;
    bool paused = false;
    std::uint32_t pause_holds = 0;  // pause firings still holding it; resumes at 0
    std::uint32_t incarnation = 0;
    double drift_rate = 1.0;  // the newest active drift's rate (1 without one)
    std::vector<std::pair<std::uint64_t, double>> drifts;  // active drift firings, oldest first
    Rng rng;
    TimerSlot timers[kTimers > 0 ? kTimers : 1];
    std::vector<Deferred> deferred;
    // Status as last reported, for the "leader" target and the record.
    Role role = Role::follower;
    Term term = 0;
    NodeId leader = kNoNode;
    bool reported_up = true;
    Time role_since = 0;
  };

  // What a `for` undoes.
  struct Undo {
    FaultAction action;
    std::vector<NodeId> nodes;                // crash: restart these; pause: release these
    std::vector<std::uint32_t> incarnations;  // pause: of each node, so a crash ends the hold
    std::uint64_t rule_owner = 0;             // partition, isolate, cut, network
    NodeId drift_node = 0;                    // drift
  };

  // --- start and loop ----------------------------------------------------------

  void start() {
    for (NodeId id = 1; id <= scenario_.nodes; ++id) {
      Slot& slot = slots_[id];
      slot.rng.reseed(stream_seed(scenario_.seed, kStreamNode, id));
      record_.status.push_back(StatusChange{0, id, Role::follower, 0, kNoNode, true});
    }
    fault_rngs_.reserve(faults_.size());
    for (std::size_t i = 0; i < faults_.size(); ++i) {
      fault_rngs_.emplace_back(stream_seed(scenario_.seed, kStreamFault, i));
      schedule_occurrence(i, 0);
    }
    for (NodeId id = 1; id <= scenario_.nodes; ++id) boot(id, /*restart=*/false);
  }

  void loop() {
    while (!queue_.empty()) {
      if (queue_.top().t >= scenario_.duration) break;
      auto entry = queue_.pop();
      now_ = entry.t;
      Payload& p = entry.payload;
      switch (p.kind) {
        case Kind::deliver:
          deliver(p.node, p.from, p.aux, p.message);
          break;
        case Kind::timer:
          timer_due(p.node, p.timer, p.aux);
          break;
        case Kind::fault:
          fire_fault(p.node, p.aux);
          break;
        case Kind::undo:
          run_undo(p.node, p.aux);
          break;
      }
    }
    // Faults that would have fired at or after the end.
    while (!queue_.empty()) {
      const auto entry = queue_.pop();
      if (entry.payload.kind == Kind::fault || entry.payload.kind == Kind::undo)
        ++record_.faults_not_reached;
    }
  }

  void boot(NodeId id, bool restart) {
    Slot& slot = slots_[id];
    slot.node.emplace(config_, id, scenario_.nodes);
    with_node(id, [&](Node& node) {
      node.on_start(*this, restart && slot.disk ? &*slot.disk : nullptr);
    });
  }

  template <class Handler>
  void with_node(NodeId id, Handler&& handler) {
    const NodeId outer = current_;
    current_ = id;
    handler(*slots_[id].node);
    current_ = outer;
  }

  // --- messages ----------------------------------------------------------------

  void deliver(NodeId to, NodeId from, std::uint32_t incarnation, const Message& message) {
    Slot& slot = slots_[to];
    const std::uint8_t kind = message.kind();
    if (!slot.up || slot.incarnation != incarnation) {
      ++record_.events;
      ++record_.messages.dropped;
      trace_.drop(now_, from, to, kind, Node::kMessageNames[kind], message.term(),
                  DropReason::stale);
      return;
    }
    if (slot.paused) {
      slot.deferred.push_back(Deferred{false, 0, from, message});
      return;
    }
    hand_over(to, from, message);
  }

  // A message reaches a running node: counted, traced, handled.
  void hand_over(NodeId to, NodeId from, const Message& message) {
    ++record_.events;
    ++record_.messages.delivered;
    const std::uint8_t kind = message.kind();
    trace_.message(TraceEvent::deliver, now_, from, to, kind, Node::kMessageNames[kind],
                   message.term());
    with_node(to, [&](Node& node) { node.on_message(*this, from, message); });
  }

  void send_one(NodeId from, NodeId to, const Message& message) {
    ELECTSIM_ASSERT(to >= 1 && to <= scenario_.nodes && to != from,
                    fmt::format("node {} sent to {}", from, to));
    const std::uint8_t kind = message.kind();
    ++record_.messages.sent;
    ++record_.messages.sent_by_type[kind];
    trace_.message(TraceEvent::send, now_, from, to, kind, Node::kMessageNames[kind],
                   message.term());
    const Slot& target = slots_[to];
    DropReason why{};
    LinkDecision decision;
    if (!target.up)
      why = DropReason::down;
    else if (network_.blocked(from, to))
      why = DropReason::partition;
    else if ((decision = network_.decide(from, to)).lost)
      why = DropReason::loss;
    if (why != DropReason{}) {
      ++record_.messages.dropped;
      trace_.drop(now_, from, to, kind, Node::kMessageNames[kind], message.term(), why);
      return;
    }
    queue_.push(now_ + decision.delay,
                Payload{Kind::deliver, 0, to, from, target.incarnation, message});
    if (decision.duplicated) {
      ++record_.messages.duplicated;
      queue_.push(now_ + decision.duplicate_delay,
                  Payload{Kind::deliver, 0, to, from, target.incarnation, message});
    }
  }

  // --- timers ------------------------------------------------------------------

  // A timer whose deadline moved later keeps its queue entry; the entry re-arms
  // itself when it comes due early. Only an earlier deadline pushes an entry.
  void timer_due(NodeId id, TimerId timer, std::uint32_t generation) {
    Slot& slot = slots_[id];
    TimerSlot& t = slot.timers[timer];
    if (!slot.up || generation != t.generation) return;  // stale entry
    if (t.deadline == kNever) {                          // cancelled
      t.armed_at = kNever;
      return;
    }
    if (t.deadline > now_) {
      t.armed_at = t.deadline;
      queue_.push(t.deadline, Payload{Kind::timer, timer, id, 0, t.generation, Message{}});
      return;
    }
    t.armed_at = kNever;
    t.deadline = kNever;
    if (slot.paused) {
      slot.deferred.push_back(Deferred{true, timer, 0, Message{}});
      return;
    }
    fire_timer(id, timer);
  }

  void fire_timer(NodeId id, TimerId timer) {
    ++record_.events;
    trace_.timer(now_, id, timer, Node::kTimerNames[timer]);
    with_node(id, [&](Node& node) { node.on_timer(*this, timer); });
  }

  // --- Context, as seen by the node being run ------------------------------------

  Time now() const override { return now_; }
  Rng& rng() override { return slots_[current_].rng; }
  void send(NodeId to, const Message& message) override { send_one(current_, to, message); }
  void broadcast(const Message& message) override {
    for (NodeId to = 1; to <= scenario_.nodes; ++to)
      if (to != current_) send_one(current_, to, message);
  }
  void set_timer(TimerId id, Time delay) override {
    ELECTSIM_ASSERT(id < kTimers && delay > 0,
                    fmt::format("node {} set timer {} to {}us", current_, id, delay));
    Slot& slot = slots_[current_];
    // Drift: a node whose clock runs at rate r sees `delay` pass after delay/r.
    if (slot.drift_rate != 1.0)
      delay = std::max<Time>(
          1, static_cast<Time>(std::llround(static_cast<double>(delay) / slot.drift_rate)));
    TimerSlot& t = slot.timers[id];
    t.deadline = now_ + delay;
    if (t.deadline < t.armed_at) {
      t.armed_at = t.deadline;
      queue_.push(t.deadline, Payload{Kind::timer, id, current_, 0, ++t.generation, Message{}});
    }
  }
  void cancel_timer(TimerId id) override {
    ELECTSIM_ASSERT(id < kTimers, fmt::format("node {} cancelled timer {}", current_, id));
    slots_[current_].timers[id].deadline = kNever;
  }
  void persist(const Durable& state) override { slots_[current_].disk = state; }
  void report(Role role, Term term, NodeId leader) override {
    set_status(current_, role, term, leader, true);
  }

  void set_status(NodeId id, Role role, Term term, NodeId leader, bool up) {
    Slot& slot = slots_[id];
    if (slot.role == role && slot.term == term && slot.leader == leader && slot.reported_up == up)
      return;
    if (role == Role::leader && (slot.role != Role::leader || slot.term != term))
      slot.role_since = now_;
    slot.role = role;
    slot.term = term;
    slot.leader = leader;
    slot.reported_up = up;
    record_.status.push_back(StatusChange{now_, id, role, term, leader, up});
    trace_.role(now_, id, role, term, leader);
  }

  // --- crash, restart, pause -------------------------------------------------------

  bool crash(NodeId id) {
    Slot& slot = slots_[id];
    if (!slot.up) return false;
    ++record_.events;
    trace_.node_event(TraceEvent::crash, now_, id);
    slot.up = false;
    slot.paused = false;
    slot.pause_holds = 0;
    slot.deferred.clear();
    ++slot.incarnation;  // messages in flight to it are now stale
    for (TimerSlot& t : slot.timers) t = TimerSlot{kNever, kNever, t.generation + 1};
    slot.node.reset();
    set_status(id, Role::follower, slot.term, kNoNode, false);
    return true;
  }

  bool restart(NodeId id) {
    Slot& slot = slots_[id];
    if (slot.up) return false;
    ++record_.events;
    trace_.node_event(TraceEvent::restart, now_, id);
    slot.up = true;
    set_status(id, Role::follower, slot.term, kNoNode, true);
    boot(id, /*restart=*/true);
    return true;
  }

  void resume(NodeId id) {
    Slot& slot = slots_[id];
    if (!slot.paused) return;
    slot.paused = false;
    std::vector<Deferred> work = std::move(slot.deferred);
    slot.deferred.clear();
    for (const Deferred& item : work) {
      if (!slot.up || slot.paused) break;  // a handler cannot crash it, but keep the guard honest
      if (item.is_timer) {
        fire_timer(id, item.timer);
      } else {
        hand_over(id, item.from, item.message);
      }
    }
  }

  // --- faults --------------------------------------------------------------------

  void schedule_occurrence(std::size_t entry, std::uint32_t occurrence) {
    const FaultSpec& fault = faults_[entry];
    Time at = fault.at;
    if (occurrence > 0) {
      if (fault.every == 0) return;
      const Int128 base =
          static_cast<Int128>(fault.at) + static_cast<Int128>(fault.every) * occurrence;
      if (base >= fault.until || base >= scenario_.duration) return;
      at = static_cast<Time>(base);
    }
    if (fault.jitter > 0) at += fault_rngs_[entry].between(0, fault.jitter);
    queue_.push(std::max(at, now_),
                Payload{Kind::fault, 0, static_cast<NodeId>(entry), 0, occurrence, Message{}});
  }

  // The live node leading with the highest term; the most recently elected on
  // a tie (DESIGN.md, Targets).
  NodeId current_leader() const {
    NodeId best = kNoNode;
    for (NodeId id = 1; id <= scenario_.nodes; ++id) {
      const Slot& s = slots_[id];
      if (!s.up || s.role != Role::leader) continue;
      if (best == kNoNode || s.term > slots_[best].term ||
          (s.term == slots_[best].term && s.role_since >= slots_[best].role_since))
        best = id;
    }
    return best;
  }

  void fire_fault(NodeId entry_index, std::uint32_t occurrence) {
    const std::size_t entry = entry_index;
    const FaultSpec& fault = faults_[entry];
    schedule_occurrence(entry, occurrence + 1);
    std::vector<NodeId> targets;
    if (fault.target.kind == Target::Kind::leader) {
      const NodeId leader = current_leader();
      if (leader == kNoNode) {
        trace_.fault(now_, entry, fault.origin, fault_action_name(fault.action), false, true, {},
                     "");
        record_.faults.push_back(
            FaultFiring{now_, fault.origin, fault_action_name(fault.action), false, true, {}});
        return;
      }
      targets.push_back(leader);
    } else {
      targets = resolve_static_target(fault.target, fault_rngs_[entry], scenario_.nodes);
    }
    ++record_.events;
    const std::uint64_t owner = static_cast<std::uint64_t>(entry) << 32 | occurrence;
    Undo undo{fault.action, {}, {}, owner, 0};
    std::string detail;
    std::vector<NodeId> touched = targets;
    switch (fault.action) {
      case FaultAction::crash:
        for (NodeId id : targets)
          if (crash(id)) undo.nodes.push_back(id);
        break;
      case FaultAction::restart:
        for (NodeId id : targets) restart(id);
        break;
      case FaultAction::partition: {
        BlockRule rule{owner,
                       BlockRule::Kind::partition,
                       std::vector<std::uint32_t>(scenario_.nodes + 1, 0),
                       {},
                       {}};
        touched.clear();
        for (std::size_t g = 0; g < fault.groups.size(); ++g)
          for (NodeId id : fault.groups[g]) rule.group_of[id] = static_cast<std::uint32_t>(g + 1);
        detail = nlohmann::json(fault.groups).dump();
        network_.add_rule(std::move(rule));
        break;
      }
      case FaultAction::isolate: {
        BlockRule rule{owner, BlockRule::Kind::isolate, {}, targets, {}};
        std::sort(rule.isolated.begin(), rule.isolated.end());
        network_.add_rule(std::move(rule));
        break;
      }
      case FaultAction::cut: {
        BlockRule rule{owner, BlockRule::Kind::cut, {}, {}, {}};
        for (const auto& [a, b] : fault.links) {
          rule.directed.emplace_back(a, b);
          if (!fault.oneway) rule.directed.emplace_back(b, a);
        }
        std::sort(rule.directed.begin(), rule.directed.end());
        detail = nlohmann::json(fault.links).dump();
        touched.clear();
        network_.add_rule(std::move(rule));
        break;
      }
      case FaultAction::heal:
        touched.clear();
        network_.heal();
        break;
      case FaultAction::campaign:
        for (NodeId id : targets)
          if (slots_[id].up && !slots_[id].paused)
            with_node(id, [&](Node& node) { node.on_campaign(*this); });
        break;
      case FaultAction::network:
        touched.clear();
        network_.add_change(owner, fault.network);
        break;
      case FaultAction::pause:
        // Overlapping pauses nest: the node resumes when the last one ends.
        for (NodeId id : targets)
          if (slots_[id].up) {
            Slot& slot = slots_[id];
            slot.paused = true;
            ++slot.pause_holds;
            undo.nodes.push_back(id);
            undo.incarnations.push_back(slot.incarnation);
          }
        break;
      case FaultAction::drift:
        touched = {fault.drift_node};
        undo.drift_node = fault.drift_node;
        slots_[fault.drift_node].drifts.emplace_back(owner, fault.drift_rate);
        slots_[fault.drift_node].drift_rate = fault.drift_rate;
        detail = fmt::format("{{\"rate\":{}}}", fault.drift_rate);
        break;
    }
    trace_.fault(now_, entry, fault.origin, fault_action_name(fault.action), false, false, touched,
                 detail);
    record_.faults.push_back(
        FaultFiring{now_, fault.origin, fault_action_name(fault.action), false, false, touched});
    note_fault_action();
    if (fault.undo_after > 0) {
      undos_.push_back(std::move(undo));
      queue_.push(now_ + fault.undo_after,
                  Payload{Kind::undo, 0, entry_index, 0,
                          static_cast<std::uint32_t>(undos_.size() - 1), Message{}});
    }
  }

  void run_undo(NodeId entry_index, std::uint32_t undo_index) {
    const FaultSpec& fault = faults_[entry_index];
    Undo& undo = undos_[undo_index];
    ++record_.events;
    std::vector<NodeId> touched = undo.nodes;
    switch (undo.action) {
      case FaultAction::crash:
        for (NodeId id : undo.nodes) restart(id);
        break;
      case FaultAction::partition:
      case FaultAction::isolate:
      case FaultAction::cut:
        network_.remove_rules_of(undo.rule_owner);
        break;
      case FaultAction::network:
        network_.remove_change(undo.rule_owner);
        break;
      case FaultAction::pause:
        for (std::size_t i = 0; i < undo.nodes.size(); ++i) {
          Slot& slot = slots_[undo.nodes[i]];
          if (!slot.up || slot.incarnation != undo.incarnations[i] || slot.pause_holds == 0)
            continue;
          if (--slot.pause_holds == 0) resume(undo.nodes[i]);
        }
        break;
      case FaultAction::drift: {
        // Drifts layer like network changes: undoing one leaves the newest
        // remaining rate in force.
        Slot& slot = slots_[undo.drift_node];
        std::erase_if(slot.drifts,
                      [&](const auto& layer) { return layer.first == undo.rule_owner; });
        slot.drift_rate = slot.drifts.empty() ? 1.0 : slot.drifts.back().second;
        touched = {undo.drift_node};
      } break;
      case FaultAction::restart:
      case FaultAction::heal:
      case FaultAction::campaign:
        break;  // rejected by the loader
    }
    trace_.fault(now_, entry_index, fault.origin, fault_action_name(undo.action), true, false,
                 touched, "");
    record_.faults.push_back(
        FaultFiring{now_, fault.origin, fault_action_name(undo.action), true, false, touched});
    note_fault_action();
  }

  // The liveness check measures from the last fault action (DESIGN.md).
  void note_fault_action() {
    ConnectivitySnapshot& snapshot = record_.last_fault;
    snapshot.t = now_;
    snapshot.up.assign(scenario_.nodes + 1, false);
    for (NodeId id = 1; id <= scenario_.nodes; ++id) snapshot.up[id] = slots_[id].up;
    snapshot.rules = network_.rules();
  }

  const Scenario& scenario_;
  const Config& config_;
  Trace& trace_;
  Network network_;
  std::vector<Slot> slots_;
  std::vector<FaultSpec> faults_;  // the scenario's, then the drawn nemesis ones
  std::vector<Rng> fault_rngs_;    // one stream per fault entry
  std::vector<Undo> undos_;
  EventQueue<Payload> queue_;
  Time now_ = 0;
  NodeId current_ = kNoNode;
  RunRecord record_;
};

}  // namespace electsim
