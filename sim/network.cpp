// The virtual network; see network.hpp.
#include "sim/network.hpp"

#include <algorithm>

namespace electsim {
namespace {
constexpr std::uint32_t kDenseLimit = 512;  // 512^2 streams of 8 bytes: 2 MiB
}

bool BlockRule::blocks(NodeId from, NodeId to) const {
  switch (kind) {
    case Kind::partition:
      return group_of[from] != group_of[to];
    case Kind::isolate:
      return std::binary_search(isolated.begin(), isolated.end(), from) ||
             std::binary_search(isolated.begin(), isolated.end(), to);
    case Kind::cut:
      return std::binary_search(directed.begin(), directed.end(), std::make_pair(from, to));
  }
  return false;
}

Network::Network(const NetworkSpec& spec, std::uint32_t nodes, std::uint64_t seed)
    : nodes_(nodes), seed_(seed), base_(spec.defaults), defaults_(spec.defaults) {
  for (const LinkOverride& link : spec.links) {
    // Later entries refine earlier ones field by field.
    auto apply = [&](NodeId a, NodeId b) {
      LinkOverride& slot = overrides_[{a, b}];
      slot.from = a;
      slot.to = b;
      if (link.delay) slot.delay = link.delay;
      if (link.loss_probability) slot.loss_probability = link.loss_probability;
      if (link.duplicate_probability) slot.duplicate_probability = link.duplicate_probability;
    };
    apply(link.from, link.to);
    if (!link.oneway) apply(link.to, link.from);
  }
  if (nodes <= kDenseLimit) {
    dense_streams_.resize(static_cast<std::size_t>(nodes + 1) * (nodes + 1));
    for (NodeId a = 1; a <= nodes; ++a)
      for (NodeId b = 1; b <= nodes; ++b)
        dense_streams_[static_cast<std::size_t>(a) * (nodes + 1) + b] =
            SplitMix64{stream_seed(seed, kStreamLink, static_cast<std::uint64_t>(a) << 32 | b)};
  }
}

SplitMix64& Network::stream(NodeId from, NodeId to) {
  if (!dense_streams_.empty())
    return dense_streams_[static_cast<std::size_t>(from) * (nodes_ + 1) + to];
  const std::uint64_t key = static_cast<std::uint64_t>(from) << 32 | to;
  auto it = sparse_streams_.find(key);
  if (it == sparse_streams_.end())
    it = sparse_streams_.emplace(key, SplitMix64{stream_seed(seed_, kStreamLink, key)}).first;
  return it->second;
}

LinkSettings Network::settings(NodeId from, NodeId to) const {
  if (overrides_.empty()) return defaults_;
  const auto it = overrides_.find({from, to});
  if (it == overrides_.end()) return defaults_;
  LinkSettings s = defaults_;
  if (it->second.delay) s.delay = *it->second.delay;
  if (it->second.loss_probability) s.loss_probability = *it->second.loss_probability;
  if (it->second.duplicate_probability) s.duplicate_probability = *it->second.duplicate_probability;
  return s;
}

LinkDecision Network::decide(NodeId from, NodeId to) {
  LinkSettings overridden;
  const LinkSettings* settings_in_force = &defaults_;
  if (!overrides_.empty()) {
    overridden = settings(from, to);
    settings_in_force = &overridden;
  }
  const LinkSettings& s = *settings_in_force;
  SplitMix64& gen = stream(from, to);
  LinkDecision d;
  if (s.loss_probability > 0 && uniform01_of(gen) < s.loss_probability) {
    d.lost = true;
    return d;
  }
  d.delay = draw_delay(s.delay, gen);
  if (s.duplicate_probability > 0 && uniform01_of(gen) < s.duplicate_probability) {
    d.duplicated = true;
    d.duplicate_delay = draw_delay(s.delay, gen);
  }
  return d;
}

void Network::remove_rules_of(std::uint64_t owner) {
  rules_.erase(std::remove_if(rules_.begin(), rules_.end(),
                              [&](const BlockRule& r) { return r.owner == owner; }),
               rules_.end());
}

namespace {
void apply_change(const NetworkChange& change, LinkSettings& settings) {
  if (change.delay) settings.delay = *change.delay;
  if (change.loss_probability) settings.loss_probability = *change.loss_probability;
  if (change.duplicate_probability) settings.duplicate_probability = *change.duplicate_probability;
}
}  // namespace

void Network::add_change(std::uint64_t owner, const NetworkChange& change) {
  changes_.emplace_back(owner, change);
  apply_change(change, defaults_);
}

void Network::remove_change(std::uint64_t owner) {
  std::erase_if(changes_, [&](const auto& layer) { return layer.first == owner; });
  defaults_ = base_;
  for (const auto& [unused, change] : changes_) apply_change(change, defaults_);
}

}  // namespace electsim
