// Random faults drawn from the seed (the scenario's `nemesis`). The schedule
// is drawn once, before the run, from its own stream, and turned into plain
// fault entries: it can be printed, written into the trace and the result,
// and replayed or shrunk as an explicit scenario.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "sim/scenario.hpp"

namespace electsim {

struct NemesisSchedule {
  std::vector<FaultSpec> faults;  // sorted by time; origin "nemesis/I"
  nlohmann::json entries;         // the same, as scenario fault entries
};

NemesisSchedule draw_nemesis(const NemesisSpec& spec, std::uint32_t nodes, std::uint64_t seed,
                             Time duration);

// A time as an exact scenario string: "1500us".
inline std::string exact_time(Time t) {
  return std::to_string(t) + "us";
}

}  // namespace electsim
