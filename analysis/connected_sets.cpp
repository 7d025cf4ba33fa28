// Largest and maximal sets of pairwise-connected nodes (cliques of the
// "connected both ways" graph), for the liveness check. Bron-Kerbosch with
// pivoting over 64-bit masks is exact and fast for up to 64 nodes; the
// liveness check approximates larger clusters itself (liveness.cpp).
#include <algorithm>
#include <bit>
#include <cstdint>
#include <functional>

#include "analysis/checks.hpp"
#include "sim/errors.hpp"

namespace electsim {
namespace {

constexpr std::size_t kMaxCliques = 100000;  // bound on enumeration work

struct Graph {
  std::vector<std::uint64_t> adjacent;  // by candidate index
};

Graph build_graph(const std::vector<NodeId>& candidates,
                  const std::function<bool(NodeId, NodeId)>& connected) {
  Graph g{std::vector<std::uint64_t>(candidates.size(), 0)};
  for (std::size_t i = 0; i < candidates.size(); ++i)
    for (std::size_t j = i + 1; j < candidates.size(); ++j)
      if (connected(candidates[i], candidates[j])) {
        g.adjacent[i] |= std::uint64_t{1} << j;
        g.adjacent[j] |= std::uint64_t{1} << i;
      }
  return g;
}

void bron_kerbosch(const Graph& g, std::uint64_t r, std::uint64_t p, std::uint64_t x,
                   std::vector<std::uint64_t>& out) {
  if (out.size() >= kMaxCliques) return;
  if (p == 0 && x == 0) {
    out.push_back(r);
    return;
  }
  // Pivot: the vertex of P | X with the most neighbours in P.
  const std::uint64_t px = p | x;
  int pivot = std::countr_zero(px);
  int best = -1;
  for (std::uint64_t rest = px; rest; rest &= rest - 1) {
    const int u = std::countr_zero(rest);
    const int count = std::popcount(p & g.adjacent[u]);
    if (count > best) {
      best = count;
      pivot = u;
    }
  }
  for (std::uint64_t rest = p & ~g.adjacent[pivot]; rest; rest &= rest - 1) {
    const int v = std::countr_zero(rest);
    const std::uint64_t bit = std::uint64_t{1} << v;
    bron_kerbosch(g, r | bit, p & g.adjacent[v], x & g.adjacent[v], out);
    p &= ~bit;
    x |= bit;
  }
}

std::vector<NodeId> ids_of(std::uint64_t mask, const std::vector<NodeId>& candidates) {
  std::vector<NodeId> ids;
  for (; mask; mask &= mask - 1) ids.push_back(candidates[std::countr_zero(mask)]);
  return ids;
}

std::vector<std::vector<NodeId>> all_maximal(const std::vector<NodeId>& sorted,
                                             const std::function<bool(NodeId, NodeId)>& connected) {
  std::vector<std::vector<NodeId>> sets;
  if (sorted.empty()) return sets;
  ELECTSIM_ASSERT(sorted.size() <= 64, "exact connected sets are for up to 64 nodes");
  const Graph g = build_graph(sorted, connected);
  std::vector<std::uint64_t> masks;
  const std::uint64_t all =
      sorted.size() == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << sorted.size()) - 1;
  bron_kerbosch(g, 0, all, 0, masks);
  for (std::uint64_t mask : masks) sets.push_back(ids_of(mask, sorted));
  std::sort(sets.begin(), sets.end());
  return sets;
}

}  // namespace

std::vector<NodeId> largest_connected_set(const std::vector<NodeId>& candidates,
                                          const std::function<bool(NodeId, NodeId)>& connected) {
  std::vector<NodeId> sorted = candidates;
  std::sort(sorted.begin(), sorted.end());
  std::vector<NodeId> best;
  for (const std::vector<NodeId>& set : all_maximal(sorted, connected))
    if (set.size() > best.size() || (set.size() == best.size() && set < best)) best = set;
  return best;
}

std::vector<std::vector<NodeId>> maximal_connected_sets(
    const std::vector<NodeId>& candidates, const std::function<bool(NodeId, NodeId)>& connected) {
  std::vector<NodeId> sorted = candidates;
  std::sort(sorted.begin(), sorted.end());
  return all_maximal(sorted, connected);
}

}  // namespace electsim
