// Drawing the nemesis schedule; see nemesis.hpp. Each fault kind is an
// independent Poisson process (exponential gaps with mean 1/rate) with a PRNG
// stream of its own, so turning one kind off leaves the others' draws as they
// were (what shrinking and swarm testing rely on).
#include "sim/nemesis.hpp"

#include <algorithm>
#include <numeric>

#include "sim/fault_targets.hpp"
#include "sim/random.hpp"

namespace electsim {
namespace {

using nlohmann::json;

Time exponential_gap(Rng& rng, double rate_per_s) {
  const double mean_us = 1e6 / rate_per_s;
  const double gap = -mean_us * det_log(1.0 - rng.uniform01());
  return std::max<Time>(1, static_cast<Time>(gap));
}

// Stream indices, fixed forever (changing one changes drawn schedules).
enum Process : std::uint64_t {
  kSwarm = 0,
  kCrash = 1,
  kPartition = 2,
  kIsolate = 3,
  kOneway = 4,
  kBridge = 5,
  kLossBurst = 6,
  kDelaySpike = 7,
};

struct Drawn {
  FaultSpec fault;
  json entry;  // the same fault as a scenario entry (without "at" and "for")
};

// Runs one Poisson process, calling `draw` for the fault at each arrival.
template <class Draw>
void poisson(std::vector<Drawn>& out, double rate, Time until, std::uint64_t seed, Process process,
             Time length_min, Time length_max, Draw draw) {
  if (rate <= 0) return;
  Rng rng(stream_seed(seed, kStreamNemesis, process));
  for (Time t = exponential_gap(rng, rate); t < until; t += exponential_gap(rng, rate)) {
    Drawn drawn;
    if (!draw(rng, drawn)) continue;
    drawn.fault.at = t;
    drawn.fault.undo_after = std::max<Time>(1, rng.between(length_min, length_max));
    out.push_back(std::move(drawn));
  }
}

// Two sides that share no link, and a bridge node that reaches both.
std::vector<std::pair<NodeId, NodeId>> bridge_cut(Rng& rng, std::uint32_t nodes) {
  const NodeId bridge = static_cast<NodeId>(rng.below(nodes) + 1);
  std::vector<NodeId> others;
  for (NodeId id = 1; id <= nodes; ++id)
    if (id != bridge) others.push_back(id);
  for (std::size_t i = 0; i + 1 < others.size(); ++i)
    std::swap(others[i], others[i + rng.below(others.size() - i)]);
  const std::size_t half = others.size() / 2;
  std::vector<NodeId> a(others.begin(), others.begin() + static_cast<long>(half));
  std::vector<NodeId> b(others.begin() + static_cast<long>(half), others.end());
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  std::vector<std::pair<NodeId, NodeId>> links;
  for (NodeId x : a)
    for (NodeId y : b) links.emplace_back(x, y);
  return links;
}

}  // namespace

NemesisSchedule draw_nemesis(const NemesisSpec& given, std::uint32_t nodes, std::uint64_t seed,
                             Time duration) {
  NemesisSpec spec = given;
  if (spec.swarm) {
    // Swarm testing (Groce et al. 2012): this seed keeps each kind with
    // probability 1/2, at least one.
    Rng rng(stream_seed(seed, kStreamNemesis, kSwarm));
    double* rates[] = {&spec.crash_rate_per_s,      &spec.partition_rate_per_s,
                       &spec.isolate_rate_per_s,    &spec.oneway_rate_per_s,
                       &spec.bridge_rate_per_s,     &spec.loss_burst_rate_per_s,
                       &spec.delay_spike_rate_per_s};
    std::vector<double*> enabled;
    for (double* rate : rates)
      if (*rate > 0) enabled.push_back(rate);
    if (!enabled.empty()) {
      const std::size_t keep_anyway = rng.below(enabled.size());
      for (std::size_t i = 0; i < enabled.size(); ++i) {
        const bool keep = rng.below(2) == 1;
        if (!keep && i != keep_anyway) *enabled[i] = 0;
      }
    }
  }
  const Time until = std::min(spec.until, duration);
  std::vector<Drawn> drawn;
  poisson(drawn, spec.crash_rate_per_s, until, seed, kCrash, spec.down_time_min, spec.down_time_max,
          [&](Rng& rng, Drawn& d) {
            d.fault.action = FaultAction::crash;
            d.fault.target.ids = {static_cast<NodeId>(rng.below(nodes) + 1)};
            d.entry = {{"crash", d.fault.target.ids}};
            return true;
          });
  if (nodes > 1) {
    poisson(drawn, spec.partition_rate_per_s, until, seed, kPartition, spec.heal_after_min,
            spec.heal_after_max, [&](Rng& rng, Drawn& d) {
              d.fault.action = FaultAction::partition;
              d.fault.groups = {draw_majority(rng, nodes)};  // the rest form the other side
              d.entry = {{"partition", d.fault.groups}};
              return true;
            });
    poisson(drawn, spec.isolate_rate_per_s, until, seed, kIsolate, spec.heal_after_min,
            spec.heal_after_max, [&](Rng& rng, Drawn& d) {
              d.fault.action = FaultAction::isolate;
              d.fault.target.ids = {static_cast<NodeId>(rng.below(nodes) + 1)};
              d.entry = {{"isolate", d.fault.target.ids}};
              return true;
            });
    poisson(drawn, spec.oneway_rate_per_s, until, seed, kOneway, spec.heal_after_min,
            spec.heal_after_max, [&](Rng& rng, Drawn& d) {
              const NodeId from = static_cast<NodeId>(rng.below(nodes) + 1);
              NodeId to = static_cast<NodeId>(rng.below(nodes - 1) + 1);
              if (to >= from) ++to;
              d.fault.action = FaultAction::cut;
              d.fault.links = {{from, to}};
              d.fault.oneway = true;
              d.entry = {{"cut", d.fault.links}, {"oneway", true}};
              return true;
            });
  }
  if (nodes > 2)
    poisson(drawn, spec.bridge_rate_per_s, until, seed, kBridge, spec.heal_after_min,
            spec.heal_after_max, [&](Rng& rng, Drawn& d) {
              d.fault.action = FaultAction::cut;
              d.fault.links = bridge_cut(rng, nodes);
              d.entry = {{"cut", d.fault.links}};
              return !d.fault.links.empty();
            });
  poisson(drawn, spec.loss_burst_rate_per_s, until, seed, kLossBurst, spec.burst_length_min,
          spec.burst_length_max, [&](Rng&, Drawn& d) {
            d.fault.action = FaultAction::network;
            d.fault.network.loss_probability = spec.burst_loss;
            d.entry = {{"network", {{"loss", spec.burst_loss}}}};
            return true;
          });
  poisson(drawn, spec.delay_spike_rate_per_s, until, seed, kDelaySpike, spec.burst_length_min,
          spec.burst_length_max, [&](Rng&, Drawn& d) {
            d.fault.action = FaultAction::network;
            d.fault.network.delay = spec.spike_delay;
            d.entry = {{"network", {{"delay", spec.spike_delay_json}}}};
            return true;
          });

  std::stable_sort(drawn.begin(), drawn.end(),
                   [](const Drawn& a, const Drawn& b) { return a.fault.at < b.fault.at; });
  NemesisSchedule schedule;
  schedule.entries = json::array();
  for (std::size_t i = 0; i < drawn.size(); ++i) {
    FaultSpec& fault = drawn[i].fault;
    fault.origin = "nemesis/" + std::to_string(i);
    json entry = {{"at", exact_time(fault.at)}};
    entry.update(drawn[i].entry);
    entry["for"] = exact_time(fault.undo_after);
    schedule.entries.push_back(entry);
    schedule.faults.push_back(fault);
  }
  return schedule;
}

}  // namespace electsim
