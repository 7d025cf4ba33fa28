// A Raft server, leader election only (Raft paper section 5.2, 5.4.1; Ongaro's
// thesis sections 3.4, 4.2.3, 6.2, 6.4 and 9.6). Logs hold only the no-op
// entry each leader appends at the start of its term (thesis 6.4), which is
// enough to make the up-to-date rule of 5.4.1 matter across elections.
//
// Options: prevote (thesis 9.6), check_quorum (thesis 6.2, with the leader
// lease of 4.2.3), and the mutant persist_state=false, which forgets term and
// vote on restart and so can vote twice in one term.
#pragma once

#include <array>
#include <string_view>
#include <vector>

#include "algorithms/raft/raft_message.hpp"
#include "sim/node_api.hpp"
#include "sim/node_set.hpp"

namespace electsim::raft {

struct Config {
  Time election_timeout_min = 150 * kMillisecond;
  Time election_timeout_max = 300 * kMillisecond;
  Time heartbeat = 50 * kMillisecond;
  bool prevote = false;
  bool check_quorum = false;
  bool persist_state = true;
  bool operator==(const Config&) const = default;
};

// Raft paper figure 2: "persistent state on all servers".
struct Durable {
  Term current_term = 0;
  NodeId voted_for = kNoNode;
  std::vector<Term> log;  // the term of each entry; index i is log[i - 1]
  bool operator==(const Durable&) const = default;
};

class Node {
 public:
  using Message = raft::Message;
  using Durable = raft::Durable;
  using Config = raft::Config;
  using Ctx = Context<Message, Durable>;
  static constexpr std::array<std::string_view, 6> kMessageNames = raft::kMessageNames;
  enum Timer : TimerId { election_timer = 0, heartbeat_timer = 1 };
  static constexpr std::array<std::string_view, 2> kTimerNames = {"election", "heartbeat"};

  enum class State : std::uint8_t { follower, pre_candidate, candidate, leader };

  Node(const Config& config, NodeId self, std::uint32_t nodes);

  void on_start(Ctx& ctx, const Durable* disk);
  void on_message(Ctx& ctx, NodeId from, const Message& message);
  void on_timer(Ctx& ctx, TimerId timer);
  void on_campaign(Ctx& ctx);

  State state() const { return state_; }
  Term term() const { return durable_.current_term; }
  NodeId voted_for() const { return durable_.voted_for; }
  NodeId leader() const { return leader_; }
  const std::vector<Term>& log() const { return durable_.log; }
  bool operator==(const Node&) const = default;

 private:
  LogIndex last_index() const { return durable_.log.size(); }
  Term last_term() const { return durable_.log.empty() ? 0 : durable_.log.back(); }
  Term term_at(LogIndex index) const {
    return index == 0 || index > last_index() ? 0 : durable_.log[index - 1];
  }
  bool log_up_to_date(LogIndex index, Term log_term) const;
  bool in_leader_lease(Time now) const;

  void handle_request_vote(Ctx& ctx, NodeId from, const Message& m);
  void handle_pre_vote(Ctx& ctx, NodeId from, const Message& m);
  void handle_vote_response(Ctx& ctx, NodeId from, const Message& m);
  void handle_append_entries(Ctx& ctx, NodeId from, const Message& m);
  void handle_append_response(Ctx& ctx, NodeId from, const Message& m);

  void election_timeout(Ctx& ctx);
  void become_follower(Ctx& ctx, Term term, NodeId leader);
  void become_pre_candidate(Ctx& ctx);
  void become_candidate(Ctx& ctx);
  void become_leader(Ctx& ctx);
  void send_append(Ctx& ctx, NodeId to);
  void reset_election_timer(Ctx& ctx);
  void report(Ctx& ctx);

  Config config_;
  NodeId self_;
  std::uint32_t nodes_;
  std::uint32_t majority_;
  Durable durable_;
  State state_ = State::follower;
  NodeId leader_ = kNoNode;            // the leader this node names
  NodeSet votes_;                      // granted votes or pre-votes this round
  Time heard_from_leader_at_ = -kDay;  // for the lease of thesis 4.2.3
  std::vector<LogIndex> next_index_;   // leader: nextIndex per follower
  NodeSet active_;                     // leader, check_quorum: who answered this period
};

}  // namespace electsim::raft
