// The liveness check (DESIGN.md, Checks). t0 is the last fault action; G is
// the largest set of live nodes, pairwise connected both ways at t0 (ties:
// lowest ids). It holds if at some instant in [t0, t0 + within] exactly one
// node of G leads and every node of G names it. Bully is judged in every
// maximal connected set, each needing one coordinator of its own.
//
// Above 64 live nodes, the sets are approximated: nodes are grouped by which
// side of each partition they are on, isolated nodes stand alone, and for
// each cut link the higher id leaves its group (exact without cuts).
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "analysis/checks.hpp"

namespace electsim {
namespace {

constexpr std::size_t kExactLimit = 64;

std::vector<std::vector<NodeId>> approximate_sets(const std::vector<NodeId>& live,
                                                  const std::vector<BlockRule>& rules) {
  std::map<std::vector<std::uint32_t>, std::vector<NodeId>> groups;
  std::vector<NodeId> alone;
  std::vector<NodeId> cut_out;
  for (const BlockRule& rule : rules)
    if (rule.kind == BlockRule::Kind::cut)
      for (const auto& [a, b] : rule.directed) cut_out.push_back(std::max(a, b));
  std::sort(cut_out.begin(), cut_out.end());
  for (NodeId node : live) {
    bool isolated = std::binary_search(cut_out.begin(), cut_out.end(), node);
    std::vector<std::uint32_t> signature;
    for (const BlockRule& rule : rules) {
      if (rule.kind == BlockRule::Kind::partition) signature.push_back(rule.group_of[node]);
      if (rule.kind == BlockRule::Kind::isolate)
        isolated = isolated || std::binary_search(rule.isolated.begin(), rule.isolated.end(), node);
    }
    if (isolated)
      alone.push_back(node);
    else
      groups[signature].push_back(node);
  }
  std::vector<std::vector<NodeId>> sets;
  for (auto& [signature, members] : groups) sets.push_back(members);
  for (NodeId node : alone) sets.push_back({node});
  std::sort(sets.begin(), sets.end());
  return sets;
}

// Whether, in the state `view`, exactly one node of `group` leads and every
// node of `group` names it.
struct View {
  Role role = Role::follower;
  NodeId leader = kNoNode;
  bool up = false;
};

bool settled(const std::vector<NodeId>& group, const std::vector<View>& view) {
  NodeId leader = kNoNode;
  for (NodeId node : group)
    if (view[node].up && view[node].role == Role::leader) {
      if (leader != kNoNode) return false;
      leader = node;
    }
  if (leader == kNoNode) return false;
  return std::all_of(group.begin(), group.end(),
                     [&](NodeId node) { return view[node].up && view[node].leader == leader; });
}

std::string describe_group(const std::vector<NodeId>& group) {
  return fmt::format("{{{}}}", fmt::join(group, ","));
}

}  // namespace

LivenessVerdict check_liveness(const RunRecord& record, const CheckOptions& options) {
  LivenessVerdict verdict;
  if (!options.liveness_enabled) {
    verdict.detail = "liveness check disabled by the scenario";
    return verdict;
  }
  const ConnectivitySnapshot& at_t0 = record.last_fault;
  verdict.t0 = at_t0.t;
  std::vector<NodeId> live;
  for (NodeId node = 1; node <= record.nodes; ++node)
    if (at_t0.up.empty() || at_t0.up[node]) live.push_back(node);
  auto connected = [&](NodeId a, NodeId b) {
    for (const BlockRule& rule : at_t0.rules)
      if (rule.blocks(a, b) || rule.blocks(b, a)) return false;
    return true;
  };
  std::vector<std::vector<NodeId>> sets = live.size() <= kExactLimit
                                              ? maximal_connected_sets(live, connected)
                                              : approximate_sets(live, at_t0.rules);
  if (options.synchronous) {
    verdict.groups = sets;
  } else {
    std::vector<NodeId> best;
    for (const std::vector<NodeId>& set : sets)
      if (set.size() > best.size() || (set.size() == best.size() && set < best)) best = set;
    const std::uint32_t majority = record.nodes / 2 + 1;
    if (best.size() < majority) {
      verdict.detail = fmt::format(
          "not applicable: the largest connected set of live nodes at t0={}us is {} ({} of "
          "{}), not a majority",
          verdict.t0, describe_group(best), best.size(), record.nodes);
      return verdict;
    }
    verdict.groups = {best};
  }
  if (verdict.groups.empty()) {
    verdict.detail = fmt::format("not applicable: no live node at t0={}us", verdict.t0);
    return verdict;
  }

  // Replay the status log up to t0, then look at every instant in the window.
  const Time deadline = verdict.t0 + options.liveness_within;
  std::vector<View> view(record.nodes + 1);
  std::vector<bool> done(verdict.groups.size(), false);
  std::size_t remaining = verdict.groups.size();
  auto check_all = [&](Time t) {
    for (std::size_t i = 0; i < verdict.groups.size(); ++i)
      if (!done[i] && settled(verdict.groups[i], view)) {
        done[i] = true;
        --remaining;
        if (remaining == 0) verdict.settled_at = t;
      }
  };
  std::size_t i = 0;
  const auto& log = record.status;
  for (; i < log.size() && log[i].t <= verdict.t0; ++i)
    view[log[i].node] = View{log[i].role, log[i].leader, log[i].up};
  check_all(verdict.t0);
  while (remaining > 0 && i < log.size() && log[i].t <= deadline) {
    const Time t = log[i].t;
    for (; i < log.size() && log[i].t == t; ++i)
      view[log[i].node] = View{log[i].role, log[i].leader, log[i].up};
    check_all(t);
  }

  std::string groups;
  for (const auto& group : verdict.groups) {
    if (!groups.empty()) groups += ' ';
    groups += describe_group(group);
  }
  if (remaining == 0) {
    verdict.applicable = true;
    verdict.ok = true;
    verdict.detail =
        fmt::format("{} agreed on a leader at {}us, {}us after the last fault at {}us", groups,
                    *verdict.settled_at, *verdict.settled_at - verdict.t0, verdict.t0);
  } else if (deadline > record.duration) {
    verdict.detail = fmt::format(
        "not applicable: the run ended at {}us, before t0 + within = {}us, without {} "
        "agreeing on a leader",
        record.duration, deadline, groups);
  } else {
    verdict.applicable = true;
    verdict.ok = false;
    verdict.detail =
        fmt::format("{} did not agree on exactly one leader within {}us of the last fault at {}us",
                    groups, options.liveness_within, verdict.t0);
  }
  return verdict;
}

}  // namespace electsim
