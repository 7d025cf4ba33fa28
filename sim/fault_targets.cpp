// Draws for fault targets; see fault_targets.hpp.
#include "sim/fault_targets.hpp"

#include <algorithm>
#include <numeric>

namespace electsim {

std::vector<NodeId> draw_majority(Rng& rng, std::uint32_t nodes) {
  std::vector<NodeId> ids(nodes);
  std::iota(ids.begin(), ids.end(), NodeId{1});
  const std::uint32_t size = nodes / 2 + 1;
  for (std::uint32_t i = 0; i < size; ++i) {
    const std::uint64_t j = i + rng.below(nodes - i);
    std::swap(ids[i], ids[j]);
  }
  ids.resize(size);
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<NodeId> complement(const std::vector<NodeId>& majority, std::uint32_t nodes) {
  std::vector<NodeId> rest;
  for (NodeId id = 1; id <= nodes; ++id)
    if (!std::binary_search(majority.begin(), majority.end(), id)) rest.push_back(id);
  return rest;
}

std::vector<NodeId> resolve_static_target(const Target& target, Rng& rng, std::uint32_t nodes) {
  switch (target.kind) {
    case Target::Kind::ids:
      return target.ids;
    case Target::Kind::all: {
      std::vector<NodeId> ids(nodes);
      std::iota(ids.begin(), ids.end(), NodeId{1});
      return ids;
    }
    case Target::Kind::random:
      return {static_cast<NodeId>(rng.below(nodes) + 1)};
    case Target::Kind::majority:
      return draw_majority(rng, nodes);
    case Target::Kind::minority:
      return complement(draw_majority(rng, nodes), nodes);
    case Target::Kind::leader:
      break;
  }
  return {};
}

}  // namespace electsim
