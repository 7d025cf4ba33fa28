// The space-time diagram of one run, as SVG, drawn from its JSONL trace and
// its result (for the title and the safety violations).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sim/node_api.hpp"
#include "sim/time.hpp"

namespace electsim {

struct TimelineOptions {
  Time from = 0;
  Time to = 0;                    // 0: the end of the run
  std::size_t max_arrows = 1500;  // beyond this, a note says how many were left out
};

std::string timeline_svg(const std::string& trace_jsonl, const nlohmann::json& result,
                         const TimelineOptions& options);

}  // namespace electsim
