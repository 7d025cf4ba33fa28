// A scenario, validated: the typed form of a scenario file (DESIGN.md,
// Scenario file) after the command line's overrides. Everything the loader
// accepts is in range; the simulator trusts it and re-checks nothing.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/node_api.hpp"
#include "sim/params.hpp"
#include "sim/time.hpp"

namespace electsim {

// A one-way message delay distribution. Draws are floored to whole
// microseconds, truncated at 0 and capped at one day.
struct DelaySpec {
  enum class Kind : std::uint8_t { constant, uniform, normal, exponential, lognormal, pareto };
  Kind kind = Kind::uniform;
  Time a = 1 * kMillisecond;   // value | min | mean | mean | median | scale
  Time b = 10 * kMillisecond;  // -     | max | stddev | min (offset) | - | -
  double shape = 0;            // -     | -   | -    | -    | sigma | shape (alpha)
  bool operator==(const DelaySpec&) const = default;
};

struct LinkSettings {
  DelaySpec delay;
  double loss_probability = 0;
  double duplicate_probability = 0;
  bool operator==(const LinkSettings&) const = default;
};

// network.links[i]: settings for one link (both ways unless oneway).
struct LinkOverride {
  NodeId from = 0, to = 0;
  bool oneway = false;
  std::optional<DelaySpec> delay;
  std::optional<double> loss_probability;
  std::optional<double> duplicate_probability;
};

struct NetworkSpec {
  LinkSettings defaults;
  std::vector<LinkOverride> links;
};

// A fault's target: ids, or a rule resolved when the fault fires.
struct Target {
  enum class Kind : std::uint8_t { ids, leader, random, all, majority, minority };
  Kind kind = Kind::ids;
  std::vector<NodeId> ids;
};

// A `network` fault: the fields it changes; absent fields keep their values.
struct NetworkChange {
  std::optional<DelaySpec> delay;
  std::optional<double> loss_probability;
  std::optional<double> duplicate_probability;
};

enum class FaultAction : std::uint8_t {
  crash,
  restart,
  partition,
  isolate,
  cut,
  heal,
  campaign,
  network,
  pause,
  drift
};
std::string_view fault_action_name(FaultAction action);

struct FaultSpec {
  Time at = 0;
  Time every = 0;       // 0: once
  Time until = kNever;  // repeats stop before this time (exclusive)
  Time undo_after = 0;  // the entry's `for`; 0: never undone
  Time jitter = 0;      // each firing moves by a uniform draw in [0, jitter]
  FaultAction action = FaultAction::crash;
  Target target;                                 // crash, restart, isolate, campaign, pause
  std::vector<std::vector<NodeId>> groups;       // partition
  std::vector<std::pair<NodeId, NodeId>> links;  // cut
  bool oneway = false;                           // cut
  NetworkChange network;                         // network
  NodeId drift_node = 0;                         // drift
  double drift_rate = 1.0;                       // drift
  std::string origin;                            // "/faults/3", or "nemesis" for drawn faults
};

// Random faults drawn from the seed (swarm testing); see docs/scenarios.md.
struct NemesisSpec {
  // Each kind is a Poisson process with its own rate (0: off); every drawn
  // fault is undone after a uniform draw from its length range.
  double crash_rate_per_s = 0;  // a random node crashes, restarts after down_time
  Time down_time_min = 500 * kMillisecond, down_time_max = 2 * kSecond;
  double partition_rate_per_s = 0;  // a random majority/minority split
  double isolate_rate_per_s = 0;    // one random node cut off both ways
  double oneway_rate_per_s = 0;     // one random link cut in one direction
  double bridge_rate_per_s = 0;     // two sides that only a random bridge node joins
  Time heal_after_min = 1 * kSecond, heal_after_max = 3 * kSecond;  // partitions, isolation, cuts
  double loss_burst_rate_per_s = 0;  // the whole network loses burst_loss of messages
  double burst_loss = 0.5;
  double delay_spike_rate_per_s = 0;  // every link's delay becomes spike_delay
  DelaySpec spike_delay{DelaySpec::Kind::constant, 100 * kMillisecond, 0, 0};
  nlohmann::json spike_delay_json = {{"distribution", "constant"}, {"value", "100ms"}};
  Time burst_length_min = 200 * kMillisecond, burst_length_max = 1 * kSecond;  // bursts and spikes
  // Swarm testing: each seed keeps each kind with a non-zero rate with
  // probability 1/2 (at least one), so a sweep covers many fault mixes.
  bool swarm = false;
  Time until = 0;  // no drawn fault starts at or after this time
};

struct Checks {
  bool safety = true;
  bool liveness = true;
  Time liveness_within = 10 * kSecond;
  std::optional<Time> split_brain_grace;  // Bully only; default its answer_timeout
};

struct Scenario {
  std::string file;  // as given on the command line; named in errors
  std::string name;
  std::string description;
  std::string algorithm;
  std::uint32_t nodes = 0;
  std::uint64_t seed = 1;
  Time duration = 0;
  // Validated params for `algorithm`, every key present (defaults filled in).
  nlohmann::json params;
  // Validated params for every algorithm named in params_by_algorithm.
  std::map<std::string, nlohmann::json> params_by_algorithm;
  std::string file_algorithm;  // the algorithm `params` belong to
  NetworkSpec network;
  std::vector<FaultSpec> faults;
  std::optional<NemesisSpec> nemesis;
  Checks checks;
  nlohmann::json effective;  // the scenario JSON after overrides, as validated

  // Params for running `name` (which may differ from `algorithm` in compare):
  // its defaults, then `params` if it is the file's algorithm, then
  // params_by_algorithm.NAME. Throws InputError if `name` is unknown.
  nlohmann::json params_for(const std::string& algorithm_name, const ParamCatalog& catalog) const;
};

// Command-line overrides, applied before validation (DESIGN.md).
struct Overrides {
  std::optional<std::uint64_t> seed;
  std::optional<std::string> algorithm;
  std::optional<std::uint64_t> nodes;
  std::optional<std::string> duration;  // as typed: "30s"
  std::vector<std::string> sets;        // "network.loss=0.2"
};

// Reads, overrides and validates a scenario file. Throws InputError naming the
// field; the caller adds the file name.
Scenario load_scenario(const std::string& file, const Overrides& overrides,
                       const ParamCatalog& catalog);

// The same from JSON already in memory (tests, shrink).
Scenario scenario_from_json(nlohmann::json document, const std::string& file,
                            const Overrides& overrides, const ParamCatalog& catalog);

}  // namespace electsim
