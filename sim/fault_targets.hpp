// Draws for fault targets. Each fault entry has its own PRNG stream and every
// firing makes a fixed number of draws for its target kind (random: 1;
// majority and minority: floor(n/2)+1), whatever happens in the run, so
// every algorithm sees the same random targets (DESIGN.md, Targets).
#pragma once

#include <vector>

#include "sim/node_api.hpp"
#include "sim/random.hpp"
#include "sim/scenario.hpp"

namespace electsim {

// The ids a random split puts in the majority (floor(n/2)+1 distinct ids, by
// a partial Fisher-Yates shuffle), sorted.
std::vector<NodeId> draw_majority(Rng& rng, std::uint32_t nodes);
// The ids not in `majority`, sorted.
std::vector<NodeId> complement(const std::vector<NodeId>& majority, std::uint32_t nodes);

// Resolves every target kind except `leader`, which needs the run's state.
std::vector<NodeId> resolve_static_target(const Target& target, Rng& rng, std::uint32_t nodes);

}  // namespace electsim
