// Who led when, and the safety checks over it: leadership intervals, first
// leader, failover downtime, leaderless and split-brain time, election safety
// (one leader per term) and, for Bully, split brain beyond its grace.
//
// The status log is replayed in time order. Time is accumulated between
// distinct timestamps, so changes at the same microsecond count as one
// instant (a takeover within one event is not an overlap).
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "analysis/checks.hpp"

namespace electsim {
namespace {

struct NodeView {
  Role role = Role::follower;
  Term term = 0;
  NodeId leader = kNoNode;
  bool up = false;  // until the record's first entry for the node (t=0)
  bool leading() const { return up && role == Role::leader; }
};

class LeadershipReplay {
 public:
  LeadershipReplay(const RunRecord& record, const CheckOptions& options)
      : record_(record), options_(options), nodes_(record.nodes + 1), named_(record.nodes + 1, 0) {}

  Leadership run() {
    Time last = 0;
    for (const StatusChange& change : record_.status) {
      if (change.t > last) {
        accumulate(last, change.t);
        last = change.t;
      }
      apply(change);
    }
    accumulate(last, record_.duration);
    close_episode(record_.duration);
    for (auto& [node, index] : open_) out_.leaders[index].to = record_.duration;
    std::stable_sort(
        out_.leaders.begin(), out_.leaders.end(),
        [](const LeaderInterval& a, const LeaderInterval& b) { return a.from < b.from; });
    if (!out_.leaders.empty()) out_.first_leader = out_.leaders.front().from;
    compute_downtime();
    return std::move(out_);
  }

 private:
  void apply(const StatusChange& change) {
    NodeView& view = nodes_[change.node];
    const NodeView before = view;
    if (before.up) {
      --live_;
      if (before.leader != kNoNode) --named_[before.leader];
    }
    if (before.leading() &&
        !(change.up && change.role == Role::leader && change.term == before.term)) {
      out_.leaders[open_.at(change.node)].to = change.t;
      open_.erase(change.node);
      leaders_.erase(std::find(leaders_.begin(), leaders_.end(), change.node));
    }
    if (before.leading() && !change.up)
      crashed_leaders_.push_back({change.node, change.t, std::nullopt});
    view = NodeView{change.role, change.term, change.leader, change.up};
    if (view.up) {
      ++live_;
      if (view.leader != kNoNode) ++named_[view.leader];
    }
    if (view.leading() && !(before.leading() && before.term == view.term)) open_leadership(change);
  }

  void open_leadership(const StatusChange& change) {
    open_[change.node] = out_.leaders.size();
    out_.leaders.push_back(LeaderInterval{change.node, change.term, change.t, change.t});
    leaders_.push_back(change.node);
    // Election safety: never two different leaders for the same term.
    if (options_.election_safety) {
      auto [it, inserted] = leader_of_term_.emplace(change.term, change.node);
      if (!inserted && it->second != change.node)
        out_.violations.push_back(Violation{
            "election_safety",
            change.t,
            {it->second, change.node},
            change.term,
            fmt::format("nodes {} and {} both led term {}", it->second, change.node, change.term)});
    }
  }

  // Adds [from, to) with the state as it is now.
  void accumulate(Time from, Time to) {
    const Time span = to - from;
    if (leaders_.size() >= 2) {
      out_.split_brain += span;
      if (!episode_start_) {
        episode_start_ = from;
        episode_nodes_.clear();
      }
      for (NodeId node : leaders_)
        if (std::find(episode_nodes_.begin(), episode_nodes_.end(), node) == episode_nodes_.end())
          episode_nodes_.push_back(node);
    } else {
      close_episode(from);
    }
    bool named_by_majority = false;
    for (NodeId node : leaders_) named_by_majority = named_by_majority || 2 * named_[node] > live_;
    if (!named_by_majority) out_.leaderless += span;
  }

  // Bully's promise (one coordinator under synchrony): an overlap longer than
  // the grace is a violation; a takeover that overlaps briefly is not.
  void close_episode(Time end) {
    if (!episode_start_) return;
    const Time length = end - *episode_start_;
    if (options_.synchronous && length > options_.split_brain_grace) {
      std::vector<NodeId> nodes = episode_nodes_;
      std::sort(nodes.begin(), nodes.end());
      out_.violations.push_back(
          Violation{"split_brain", *episode_start_, nodes, 0,
                    fmt::format("nodes {} led at once for {}us (grace {}us)",
                                fmt::join(nodes, ", "), length, options_.split_brain_grace)});
    }
    episode_start_.reset();
  }

  // Downtime runs from a leader's crash until another node becomes leader.
  void compute_downtime() {
    for (Failover failover : crashed_leaders_) {
      for (const LeaderInterval& interval : out_.leaders)
        if (interval.from >= failover.at && interval.node != failover.crashed_leader) {
          failover.downtime = interval.from - failover.at;
          break;
        }
      out_.failovers.push_back(failover);
    }
  }

  const RunRecord& record_;
  const CheckOptions& options_;
  std::vector<NodeView> nodes_;
  std::vector<std::uint32_t> named_;  // live nodes naming each node as leader
  std::uint32_t live_ = 0;
  std::vector<NodeId> leaders_;         // live nodes leading now
  std::map<NodeId, std::size_t> open_;  // leader -> its open interval
  std::map<Term, NodeId> leader_of_term_;
  std::vector<Failover> crashed_leaders_;
  std::optional<Time> episode_start_;
  std::vector<NodeId> episode_nodes_;
  Leadership out_;
};

}  // namespace

Leadership analyze_leadership(const RunRecord& record, const CheckOptions& options) {
  return LeadershipReplay(record, options).run();
}

}  // namespace electsim
