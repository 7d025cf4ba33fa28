// The virtual network: per-link settings (delay, loss, duplication), one PRNG
// stream per directed link, and the blocking rules that partitions, isolation
// and cuts install. A rule belongs to the fault firing that installed it, so a
// `for` undo removes exactly the links that firing blocked, and `heal` removes
// every rule. Rules apply to messages sent while they are in force.
#pragma once

#include <cstdint>
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sim/distribution.hpp"
#include "sim/node_api.hpp"
#include "sim/scenario.hpp"

namespace electsim {

// What the network decided for one message.
struct LinkDecision {
  bool lost = false;
  Time delay = 0;
  bool duplicated = false;
  Time duplicate_delay = 0;
};

struct BlockRule {
  enum class Kind : std::uint8_t { partition, isolate, cut };
  std::uint64_t owner = 0;  // the fault firing that installed it
  Kind kind = Kind::partition;
  std::vector<std::uint32_t> group_of;              // partition: group label per node id
  std::vector<NodeId> isolated;                     // isolate: sorted ids
  std::vector<std::pair<NodeId, NodeId>> directed;  // cut: sorted blocked (from, to) pairs

  bool blocks(NodeId from, NodeId to) const;
};

class Network {
 public:
  Network(const NetworkSpec& spec, std::uint32_t nodes, std::uint64_t seed);

  bool blocked(NodeId from, NodeId to) const {
    if (rules_.empty()) return false;
    for (const BlockRule& rule : rules_)
      if (rule.blocks(from, to)) return true;
    return false;
  }
  // Loss, delay and duplication for one message on from -> to, drawn from that
  // link's own stream. Draw order per message: loss (if loss > 0), delay,
  // duplicate (if duplicate > 0), the duplicate's delay.
  LinkDecision decide(NodeId from, NodeId to);

  void add_rule(BlockRule rule) { rules_.push_back(std::move(rule)); }
  void remove_rules_of(std::uint64_t owner);
  void heal() { rules_.clear(); }
  const std::vector<BlockRule>& rules() const { return rules_; }

  // `network` faults change the defaults from their time on; per-link
  // overrides keep the fields they set. Changes are layers over the scenario's
  // settings, applied in firing order, so that a `for` undo removes exactly its
  // own layer even when changes overlap.
  void add_change(std::uint64_t owner, const NetworkChange& change);
  void remove_change(std::uint64_t owner);
  const LinkSettings& defaults() const { return defaults_; }
  // The settings in force on one link.
  LinkSettings settings(NodeId from, NodeId to) const;

 private:
  SplitMix64& stream(NodeId from, NodeId to);

  std::uint32_t nodes_;
  std::uint64_t seed_;
  LinkSettings base_;      // the scenario's network settings
  LinkSettings defaults_;  // base_ with every active change applied
  std::vector<std::pair<std::uint64_t, NetworkChange>> changes_;  // in firing order
  std::map<std::pair<NodeId, NodeId>, LinkOverride> overrides_;   // directed
  std::vector<BlockRule> rules_;
  // Per-link streams: dense for small clusters, created on first use above.
  std::vector<SplitMix64> dense_streams_;
  std::unordered_map<std::uint64_t, SplitMix64> sparse_streams_;
};

}  // namespace electsim
