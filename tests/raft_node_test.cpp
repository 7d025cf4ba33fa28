// Raft's election rules, one node at a time, through a fake context that
// records what the node does. Each case cites the rule it pins.
#include "algorithms/raft/raft_node.hpp"

#include <catch2/catch.hpp>

#include "tests/fake_context.hpp"

using namespace electsim;
using raft::Message;
using raft::MessageType;
using Ctx = testing::FakeContext<raft::Node>;

namespace {

raft::Config config_with(bool prevote = false, bool check_quorum = false,
                         bool persist_state = true) {
  raft::Config c;
  c.prevote = prevote;
  c.check_quorum = check_quorum;
  c.persist_state = persist_state;
  return c;
}

Message request_vote(Term term, raft::LogIndex last_index = 0, Term last_term = 0) {
  return Message{MessageType::request_vote, term, last_index, last_term, 0, false};
}
Message vote_response(Term term, bool granted) {
  return Message{MessageType::request_vote_response, term, 0, 0, 0, granted};
}
Message heartbeat(Term term, raft::LogIndex prev = 0, Term prev_term = 0, Term entry = 0) {
  return Message{MessageType::append_entries, term, prev, prev_term, entry, false};
}

// A node started and driven to candidate in term 1 (node 1 of 5).
struct Candidate {
  raft::Config config;
  raft::Node node;
  Ctx ctx{1, 5};
  explicit Candidate(raft::Config c = config_with()) : config(c), node(config, 1, 5) {
    node.on_start(ctx, nullptr);
    node.on_timer(ctx, raft::Node::election_timer);
  }
};

}  // namespace

TEST_CASE("Raft 5.2: a node starts as follower in term 0 with a randomized election timer",
          "[raft]") {
  const raft::Config config = config_with();
  raft::Node node(config, 1, 5);
  Ctx ctx(1, 5);
  node.on_start(ctx, nullptr);
  CHECK(node.state() == raft::Node::State::follower);
  CHECK(node.term() == 0);
  REQUIRE(ctx.timers.count(raft::Node::election_timer) == 1);
  const Time timeout = ctx.timers[raft::Node::election_timer];
  CHECK(timeout >= config.election_timeout_min);
  CHECK(timeout <= config.election_timeout_max);
  REQUIRE(ctx.reports.size() == 1);
  CHECK(ctx.reports[0].role == Role::follower);
}

TEST_CASE(
    "Raft 5.2: on election timeout a follower increments its term, votes for itself and asks all",
    "[raft]") {
  Candidate c;
  CHECK(c.node.state() == raft::Node::State::candidate);
  CHECK(c.node.term() == 1);
  CHECK(c.node.voted_for() == 1);
  REQUIRE(c.ctx.persisted);  // term and vote saved before the requests go out
  CHECK(c.ctx.persisted->current_term == 1);
  CHECK(c.ctx.persisted->voted_for == 1);
  const auto requests = c.ctx.sent_of_kind(static_cast<std::uint8_t>(MessageType::request_vote));
  REQUIRE(requests.size() == 4);
  for (NodeId to = 2; to <= 5; ++to) CHECK(requests[to - 2].to == to);
  CHECK(requests[0].message.term() == 1);
  CHECK(c.ctx.reports.back().role == Role::candidate);
}

TEST_CASE("Raft 5.2: a candidate becomes leader with votes from a majority, not before", "[raft]") {
  Candidate c;
  c.ctx.clear();
  c.node.on_message(c.ctx, 2, vote_response(1, true));
  CHECK(c.node.state() == raft::Node::State::candidate);  // 2 of 5
  c.node.on_message(c.ctx, 2, vote_response(1, true));    // a duplicate counts once
  CHECK(c.node.state() == raft::Node::State::candidate);
  c.node.on_message(c.ctx, 4, vote_response(1, false));  // a denial counts for nothing
  CHECK(c.node.state() == raft::Node::State::candidate);
  c.node.on_message(c.ctx, 3, vote_response(1, true));  // 3 of 5
  CHECK(c.node.state() == raft::Node::State::leader);
  CHECK(c.ctx.reports.back().role == Role::leader);
  CHECK(c.ctx.reports.back().leader == 1);
  // It asserts authority at once and appends its no-op entry (thesis 6.4).
  CHECK(c.ctx.sent_of_kind(static_cast<std::uint8_t>(MessageType::append_entries)).size() == 4);
  CHECK(c.node.log() == std::vector<Term>{1});
  CHECK(c.ctx.timers.count(raft::Node::heartbeat_timer) == 1);
}

TEST_CASE("Raft 5.2: a vote from an older term does not count", "[raft]") {
  Candidate c;
  c.node.on_timer(c.ctx, raft::Node::election_timer);  // new election, term 2
  REQUIRE(c.node.term() == 2);
  c.node.on_message(c.ctx, 2, vote_response(1, true));
  c.node.on_message(c.ctx, 3, vote_response(1, true));
  CHECK(c.node.state() == raft::Node::State::candidate);
}

TEST_CASE("Raft 5.2: at most one vote per term, first come first served, saved before the reply",
          "[raft]") {
  const raft::Config config = config_with();
  raft::Node node(config, 3, 5);
  Ctx ctx(3, 5);
  node.on_start(ctx, nullptr);
  ctx.clear();
  node.on_message(ctx, 1, request_vote(1));
  REQUIRE(ctx.sent.size() == 1);
  CHECK(ctx.sent[0].to == 1);
  CHECK(ctx.sent[0].message.ok);
  REQUIRE(ctx.persisted);
  CHECK(ctx.persisted->voted_for == 1);
  CHECK(ctx.persisted->current_term == 1);
  ctx.clear();
  node.on_message(ctx, 2, request_vote(1));  // same term, another candidate
  REQUIRE(ctx.sent.size() == 1);
  CHECK_FALSE(ctx.sent[0].message.ok);
  ctx.clear();
  node.on_message(ctx, 1, request_vote(1));  // the same candidate asking again is granted again
  CHECK(ctx.sent[0].message.ok);
}

TEST_CASE("Raft 5.2: granting a vote resets the election timer, denying does not", "[raft]") {
  const raft::Config config = config_with();
  raft::Node node(config, 3, 5);
  Ctx ctx(3, 5);
  node.on_start(ctx, nullptr);
  ctx.timers.clear();
  node.on_message(ctx, 1, request_vote(1));
  CHECK(ctx.timers.count(raft::Node::election_timer) == 1);
  ctx.timers.clear();
  node.on_message(ctx, 2, request_vote(1));
  CHECK(ctx.timers.count(raft::Node::election_timer) == 0);
}

TEST_CASE("Raft 5.1: a request from an older term is rejected with the newer term", "[raft]") {
  Candidate c;                                         // term 1
  c.node.on_timer(c.ctx, raft::Node::election_timer);  // term 2
  c.ctx.clear();
  c.node.on_message(c.ctx, 4, request_vote(1));
  REQUIRE(c.ctx.sent.size() == 1);
  CHECK_FALSE(c.ctx.sent[0].message.ok);
  CHECK(c.ctx.sent[0].message.term() == 2);
  c.ctx.clear();
  c.node.on_message(c.ctx, 4, heartbeat(1));
  REQUIRE(c.ctx.sent.size() == 1);
  CHECK(c.ctx.sent[0].message.type == MessageType::append_entries_response);
  CHECK_FALSE(c.ctx.sent[0].message.ok);
  CHECK(c.node.state() == raft::Node::State::candidate);
}

TEST_CASE("Raft 5.1: any message with a higher term makes a leader or candidate step down",
          "[raft]") {
  Candidate c;
  c.node.on_message(c.ctx, 2, vote_response(1, true));
  c.node.on_message(c.ctx, 3, vote_response(1, true));
  REQUIRE(c.node.state() == raft::Node::State::leader);
  c.ctx.clear();
  c.node.on_message(c.ctx, 4, Message{MessageType::append_entries_response, 7, 0, 0, 0, false});
  CHECK(c.node.state() == raft::Node::State::follower);
  CHECK(c.node.term() == 7);
  CHECK(c.node.voted_for() == kNoNode);
  REQUIRE(c.ctx.persisted);
  CHECK(c.ctx.persisted->current_term == 7);
  CHECK(c.ctx.reports.back().role == Role::follower);
  CHECK(c.ctx.timers.count(raft::Node::heartbeat_timer) == 0);
  CHECK(c.ctx.timers.count(raft::Node::election_timer) == 1);
}

TEST_CASE("Raft 5.2: a candidate that hears from a leader of its term returns to follower",
          "[raft]") {
  Candidate c;
  c.ctx.clear();
  c.node.on_message(c.ctx, 5, heartbeat(1));
  CHECK(c.node.state() == raft::Node::State::follower);
  CHECK(c.node.leader() == 5);
  CHECK(c.node.term() == 1);
  CHECK(c.ctx.reports.back().leader == 5);
  REQUIRE(c.ctx.sent.size() == 1);
  CHECK(c.ctx.sent[0].message.ok);
}

TEST_CASE("Raft 5.4.1: a vote is denied to a candidate whose log is less up-to-date", "[raft]") {
  const raft::Config config = config_with();
  raft::Node node(config, 2, 3);
  Ctx ctx(2, 3);
  raft::Durable disk{3, kNoNode, {1, 3, 3}};  // last entry: index 3, term 3
  node.on_start(ctx, &disk);
  auto vote = [&](Term term, raft::LogIndex index, Term log_term) {
    ctx.clear();
    node.on_message(ctx, 1, request_vote(term, index, log_term));
    return ctx.sent.at(0).message.ok;
  };
  CHECK_FALSE(vote(4, 5, 2));  // older last term loses, however long
  CHECK_FALSE(vote(5, 2, 3));  // same last term, shorter log loses
  CHECK(vote(6, 3, 3));        // same last term, same length wins
  CHECK(vote(7, 1, 4));        // newer last term wins, however short
}

TEST_CASE("Raft 5.3: a follower appends a leader's entry after the consistency check", "[raft]") {
  const raft::Config config = config_with();
  raft::Node node(config, 2, 3);
  Ctx ctx(2, 3);
  raft::Durable disk{2, kNoNode, {1, 2}};
  node.on_start(ctx, &disk);
  ctx.clear();
  node.on_message(ctx, 1, heartbeat(3, 2, 1, 3));  // prevLogTerm mismatch at index 2
  CHECK_FALSE(ctx.sent.at(0).message.ok);
  CHECK(node.log() == std::vector<Term>{1, 2});
  ctx.clear();
  node.on_message(ctx, 1, heartbeat(3, 1, 1, 3));  // conflicting entry 2 is replaced
  CHECK(ctx.sent.at(0).message.ok);
  CHECK(ctx.sent.at(0).message.index == 2);
  CHECK(node.log() == std::vector<Term>{1, 3});
  REQUIRE(ctx.persisted);
  CHECK(ctx.persisted->log == std::vector<Term>{1, 3});
}

TEST_CASE("Raft figure 2: term and vote survive a restart when persisted", "[raft]") {
  const raft::Config config = config_with();
  raft::Node node(config, 2, 3);
  Ctx ctx(2, 3);
  const raft::Durable disk{5, 3, {1, 5}};
  node.on_start(ctx, &disk);
  CHECK(node.term() == 5);
  CHECK(node.voted_for() == 3);
  node.on_message(ctx, 1, request_vote(5, 9, 9));
  CHECK_FALSE(ctx.sent.back().message.ok);  // already voted for 3 in term 5
}

TEST_CASE("Mutant persist_state=false: term and vote are forgotten on restart, the log is kept",
          "[raft]") {
  const raft::Config config = config_with(false, false, /*persist_state=*/false);
  raft::Node node(config, 2, 3);
  Ctx ctx(2, 3);
  const raft::Durable disk{5, 3, {1, 5}};
  node.on_start(ctx, &disk);
  CHECK(node.term() == 0);
  CHECK(node.voted_for() == kNoNode);
  CHECK(node.log() == std::vector<Term>{1, 5});
  node.on_message(ctx, 1, request_vote(5, 9, 9));
  CHECK(ctx.sent.back().message.ok);  // a second vote in term 5: the bug the checkers must catch
}

TEST_CASE("Thesis 9.6 prevote: a timeout starts a pre-vote for term+1 without raising the term",
          "[raft]") {
  const raft::Config config = config_with(/*prevote=*/true);
  raft::Node node(config, 1, 3);
  Ctx ctx(1, 3);
  node.on_start(ctx, nullptr);
  node.on_timer(ctx, raft::Node::election_timer);
  CHECK(node.term() == 0);
  CHECK(node.state() == raft::Node::State::pre_candidate);
  const auto prevotes = ctx.sent_of_kind(static_cast<std::uint8_t>(MessageType::pre_vote));
  REQUIRE(prevotes.size() == 2);
  CHECK(prevotes[0].message.term() == 1);
  CHECK_FALSE(ctx.persisted);  // nothing durable changes
  // A majority of pre-votes starts the real election.
  node.on_message(ctx, 2, Message{MessageType::pre_vote_response, 1, 0, 0, 0, true});
  CHECK(node.state() == raft::Node::State::candidate);
  CHECK(node.term() == 1);
}

TEST_CASE("Thesis 9.6 prevote: granting a pre-vote changes neither term nor vote", "[raft]") {
  const raft::Config config = config_with(/*prevote=*/true);
  raft::Node node(config, 2, 3);
  Ctx ctx(2, 3);
  node.on_start(ctx, nullptr);
  ctx.clear();
  node.on_message(ctx, 1, Message{MessageType::pre_vote, 1, 0, 0, 0, false});
  REQUIRE(ctx.sent.size() == 1);
  CHECK(ctx.sent[0].message.ok);
  CHECK(node.term() == 0);
  CHECK(node.voted_for() == kNoNode);
  CHECK_FALSE(ctx.persisted);
  ctx.clear();
  const raft::Durable disk{0, kNoNode, {1}};
  raft::Node ahead(config, 3, 3);
  Ctx ctx3(3, 3);
  ahead.on_start(ctx3, &disk);
  ahead.on_message(ctx3, 1, Message{MessageType::pre_vote, 1, 0, 0, 0, false});
  CHECK_FALSE(ctx3.sent.back().message.ok);  // the pre-candidate's log is behind
}

TEST_CASE(
    "Thesis 4.2.3 with check_quorum: a node that heard a leader recently ignores vote requests",
    "[raft]") {
  const raft::Config config = config_with(false, /*check_quorum=*/true);
  raft::Node node(config, 2, 3);
  Ctx ctx(2, 3);
  node.on_start(ctx, nullptr);
  ctx.now_us = 1000;
  node.on_message(ctx, 3, heartbeat(1));  // leader 3, term 1
  ctx.clear();
  ctx.now_us = 1000 + config.election_timeout_min - 1;
  node.on_message(ctx, 1, request_vote(2));
  CHECK(ctx.sent.empty());  // no answer
  CHECK(node.term() == 1);  // and no new term
  ctx.now_us = 1000 + config.election_timeout_min;
  node.on_message(ctx, 1, request_vote(2));
  REQUIRE(ctx.sent.size() == 1);
  CHECK(ctx.sent[0].message.ok);
  CHECK(node.term() == 2);
}

TEST_CASE("Without check_quorum a recent leader does not stop a higher-term vote", "[raft]") {
  const raft::Config config = config_with();
  raft::Node node(config, 2, 3);
  Ctx ctx(2, 3);
  node.on_start(ctx, nullptr);
  node.on_message(ctx, 3, heartbeat(1));
  ctx.clear();
  node.on_message(ctx, 1, request_vote(2));
  CHECK(ctx.sent.at(0).message.ok);
  CHECK(node.term() == 2);
}

TEST_CASE(
    "Thesis 6.2 check_quorum: a leader steps down after an election timeout without a majority",
    "[raft]") {
  Candidate c(config_with(false, /*check_quorum=*/true));
  c.node.on_message(c.ctx, 2, vote_response(1, true));
  c.node.on_message(c.ctx, 3, vote_response(1, true));
  REQUIRE(c.node.state() == raft::Node::State::leader);
  REQUIRE(c.ctx.timers.count(raft::Node::election_timer) == 1);
  // One follower answers: 2 of 5 with the leader, not a majority.
  c.node.on_message(c.ctx, 2, Message{MessageType::append_entries_response, 1, 1, 0, 0, true});
  c.node.on_timer(c.ctx, raft::Node::election_timer);
  CHECK(c.node.state() == raft::Node::State::follower);
  CHECK(c.node.term() == 1);
  CHECK(c.ctx.reports.back().leader == kNoNode);
}

TEST_CASE("Thesis 6.2 check_quorum: a leader that heard from a majority stays", "[raft]") {
  Candidate c(config_with(false, /*check_quorum=*/true));
  c.node.on_message(c.ctx, 2, vote_response(1, true));
  c.node.on_message(c.ctx, 3, vote_response(1, true));
  for (NodeId from : {2u, 3u})
    c.node.on_message(c.ctx, from, Message{MessageType::append_entries_response, 1, 1, 0, 0, true});
  c.node.on_timer(c.ctx, raft::Node::election_timer);
  CHECK(c.node.state() == raft::Node::State::leader);
  // The next period starts empty: silence now means stepping down.
  c.node.on_timer(c.ctx, raft::Node::election_timer);
  CHECK(c.node.state() == raft::Node::State::follower);
}

TEST_CASE("The campaign fault makes a follower start an election at once, a leader ignores it",
          "[raft]") {
  const raft::Config config = config_with();
  raft::Node node(config, 1, 1);
  Ctx ctx(1, 1);
  node.on_start(ctx, nullptr);
  node.on_campaign(ctx);
  CHECK(node.state() == raft::Node::State::leader);  // a single node is its own majority
  CHECK(node.term() == 1);
  node.on_campaign(ctx);
  CHECK(node.term() == 1);
}
