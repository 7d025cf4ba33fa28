// A Context that records what a node does, for unit tests that drive one node
// by hand (STYLE.md: "unit tests drive a single node through a fake context").
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "sim/node_api.hpp"

namespace electsim::testing {

template <class Node>
class FakeContext final : public Context<typename Node::Message, typename Node::Durable> {
 public:
  using Message = typename Node::Message;
  using Durable = typename Node::Durable;
  struct Sent {
    NodeId to;
    Message message;
  };
  struct Report {
    Role role;
    Term term;
    NodeId leader;
  };

  FakeContext(NodeId self, std::uint32_t nodes, std::uint64_t seed = 1)
      : self_(self), nodes_(nodes), rng_(seed) {}

  Time now() const override { return now_us; }
  Rng& rng() override { return rng_; }
  void send(NodeId to, const Message& message) override { sent.push_back({to, message}); }
  void broadcast(const Message& message) override {
    for (NodeId to = 1; to <= nodes_; ++to)
      if (to != self_) sent.push_back({to, message});
  }
  void set_timer(TimerId id, Time delay) override { timers[id] = delay; }
  void cancel_timer(TimerId id) override { timers.erase(id); }
  void persist(const Durable& state) override {
    persisted = state;
    ++persist_count;
  }
  void report(Role role, Term term, NodeId leader) override {
    reports.push_back({role, term, leader});
  }

  // Forgets the recorded effects (not the timers, which are state).
  void clear() {
    sent.clear();
    reports.clear();
    persist_count = 0;
  }
  std::vector<Sent> sent_of_kind(std::uint8_t kind) const {
    std::vector<Sent> out;
    for (const Sent& s : sent)
      if (s.message.kind() == kind) out.push_back(s);
    return out;
  }

  Time now_us = 0;
  std::vector<Sent> sent;
  std::map<TimerId, Time> timers;  // armed timers and the delay they were set to
  std::optional<Durable> persisted;
  int persist_count = 0;
  std::vector<Report> reports;

 private:
  NodeId self_;
  std::uint32_t nodes_;
  Rng rng_;
};

}  // namespace electsim::testing
