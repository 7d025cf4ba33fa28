// A Bully process (Garcia-Molina 1982, "Elections in a Distributed Computing
// System", IEEE Trans. Computers C-31(1); as simplified in Coulouris et al.,
// Distributed Systems, 5th ed., section 15.3). The live process with the
// highest id becomes coordinator:
// - an election: ELECTION to every higher id, wait T (answer_timeout) for an
//   ANSWER; with none, announce COORDINATOR to every lower id; with one, wait
//   T' (coordinator_timeout) for a COORDINATOR and start again if none comes;
// - the highest id knows it is the highest and announces at once;
// - on ELECTION: always ANSWER, and start an election unless in one already;
// - on COORDINATOR: accept the sender as coordinator;
// - a restarted process starts an election (and bullies its way back).
// Failure detection (left abstract by the sources): a follower sends
// HEARTBEAT to its coordinator every `heartbeat` and starts an election when
// no HEARTBEAT_ACK from a leading coordinator came within `failure_timeout`.
//
// Choices where the sources leave one are listed in docs/algorithms/bully.md:
// how the first election starts, when T' starts, what is durable, and how a
// coordinator that is not the highest id finds a higher live one (after a
// partition heals): it probes the higher ids with the same HEARTBEAT pair.
#pragma once

#include <array>
#include <string_view>

#include "algorithms/bully/bully_message.hpp"
#include "sim/node_api.hpp"

namespace electsim::bully {

struct Config {
  Time heartbeat = 100 * kMillisecond;            // failure-detector period
  Time failure_timeout = 500 * kMillisecond;      // silence before an election
  Time answer_timeout = 100 * kMillisecond;       // T (Coulouris 15.3)
  Time coordinator_timeout = 300 * kMillisecond;  // T' (Coulouris 15.3)
  bool operator==(const Config&) const = default;
};

// What survives a crash: the highest election counter seen, so that a
// restarted process's reign gets a later term than the ones it knew of.
struct Durable {
  Term highest_term = 0;
  bool operator==(const Durable&) const = default;
};

class Node {
 public:
  using Message = bully::Message;
  using Durable = bully::Durable;
  using Config = bully::Config;
  using Ctx = Context<Message, Durable>;
  static constexpr std::array<std::string_view, 5> kMessageNames = bully::kMessageNames;
  enum Timer : TimerId {
    answer_timer = 0,       // T: no ANSWER came, so announce
    coordinator_timer = 1,  // T': no COORDINATOR came after an ANSWER, so start again
    heartbeat_timer = 2,    // time to send the next HEARTBEAT
    failure_timer = 3,      // the coordinator has been silent for failure_timeout
  };
  static constexpr std::array<std::string_view, 4> kTimerNames = {"answer", "coordinator",
                                                                  "heartbeat", "failure"};

  enum class State : std::uint8_t {
    follower,              // has accepted `coordinator_` (or none yet, at first boot)
    awaiting_answer,       // in an election: sent ELECTION, waiting T for an ANSWER
    awaiting_coordinator,  // in an election: got an ANSWER, waiting T' for COORDINATOR
    coordinator,           // sent COORDINATOR: the leader
  };

  Node(const Config& config, NodeId self, std::uint32_t nodes);

  void on_start(Ctx& ctx, const Durable* disk);
  void on_message(Ctx& ctx, NodeId from, const Message& message);
  void on_timer(Ctx& ctx, TimerId timer);
  void on_campaign(Ctx& ctx);

  State state() const { return state_; }
  NodeId coordinator() const { return coordinator_; }
  Term term() const { return term_; }
  Term highest_term() const { return durable_.highest_term; }
  bool in_election() const {
    return state_ == State::awaiting_answer || state_ == State::awaiting_coordinator;
  }
  bool operator==(const Node&) const = default;

 private:
  void handle_election(Ctx& ctx, NodeId from);
  void handle_answer(Ctx& ctx);
  void handle_coordinator(Ctx& ctx, NodeId from, const Message& m);
  void handle_heartbeat(Ctx& ctx, NodeId from);
  void handle_heartbeat_ack(Ctx& ctx, NodeId from, const Message& m);

  void start_election(Ctx& ctx);
  void announce(Ctx& ctx);
  void follow(Ctx& ctx, NodeId coordinator, Term term);
  void send_heartbeats(Ctx& ctx);
  void stop_timers(Ctx& ctx);
  void note_term(Ctx& ctx, Term seen);
  void report(Ctx& ctx);

  Config config_;
  NodeId self_;
  std::uint32_t nodes_;
  Durable durable_;
  State state_ = State::follower;
  NodeId coordinator_ = kNoNode;  // the coordinator this node names (itself when leading)
  Term term_ = 0;                 // the election counter of that coordinator's reign
};

}  // namespace electsim::bully
