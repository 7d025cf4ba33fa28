// Drawing the nemesis schedule; see nemesis.hpp. Crashes and partitions are
// two independent Poisson processes: exponential gaps with mean 1/rate.
#include "sim/nemesis.hpp"

#include <algorithm>

#include "sim/fault_targets.hpp"
#include "sim/random.hpp"

namespace electsim {
namespace {

Time exponential_gap(Rng& rng, double rate_per_s) {
  const double mean_us = 1e6 / rate_per_s;
  const double gap = -mean_us * det_log(1.0 - rng.uniform01());
  return std::max<Time>(1, static_cast<Time>(gap));
}

}  // namespace

NemesisSchedule draw_nemesis(const NemesisSpec& spec, std::uint32_t nodes, std::uint64_t seed,
                             Time duration) {
  NemesisSchedule schedule;
  const Time until = std::min(spec.until, duration);
  // One stream per process, so that turning one kind off leaves the other's
  // draws unchanged (what shrinking relies on).
  if (spec.crash_rate_per_s > 0) {
    Rng rng(stream_seed(seed, kStreamNemesis, 1));
    for (Time t = exponential_gap(rng, spec.crash_rate_per_s); t < until;
         t += exponential_gap(rng, spec.crash_rate_per_s)) {
      FaultSpec fault;
      fault.at = t;
      fault.action = FaultAction::crash;
      fault.target.ids = {static_cast<NodeId>(rng.below(nodes) + 1)};
      fault.undo_after = rng.between(spec.down_time_min, spec.down_time_max);
      schedule.faults.push_back(fault);
    }
  }
  if (spec.partition_rate_per_s > 0 && nodes > 1) {
    Rng rng(stream_seed(seed, kStreamNemesis, 2));
    for (Time t = exponential_gap(rng, spec.partition_rate_per_s); t < until;
         t += exponential_gap(rng, spec.partition_rate_per_s)) {
      FaultSpec fault;
      fault.at = t;
      fault.action = FaultAction::partition;
      fault.groups = {draw_majority(rng, nodes)};  // the rest form the other side
      fault.undo_after = rng.between(spec.heal_after_min, spec.heal_after_max);
      schedule.faults.push_back(fault);
    }
  }
  std::stable_sort(schedule.faults.begin(), schedule.faults.end(),
                   [](const FaultSpec& a, const FaultSpec& b) { return a.at < b.at; });
  schedule.entries = nlohmann::json::array();
  for (std::size_t i = 0; i < schedule.faults.size(); ++i) {
    FaultSpec& fault = schedule.faults[i];
    fault.origin = "nemesis/" + std::to_string(i);
    nlohmann::json entry = {{"at", exact_time(fault.at)}};
    if (fault.action == FaultAction::crash)
      entry["crash"] = fault.target.ids;
    else
      entry["partition"] = fault.groups;
    entry["for"] = exact_time(fault.undo_after);
    schedule.entries.push_back(entry);
  }
  return schedule;
}

}  // namespace electsim
