// One run's result: the JSON of DESIGN.md ("Result of run --format json") and
// the text a person reads. The text is rendered from the JSON, so the two
// never disagree.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "analysis/checks.hpp"
#include "sim/run_record.hpp"

namespace electsim {

struct RunContext {
  std::string scenario_name;
  std::string reproduce;  // the exact command line
  std::int64_t wall_us = 0;
  nlohmann::json params;  // the effective params of the algorithm run
};

nlohmann::json run_result_json(const RunRecord& record, const CheckOptions& options,
                               const RunContext& context);

// A failed run's failing checks: "safety", "liveness" (empty if it passed).
std::vector<std::string> failed_checks(const nlohmann::json& result);

std::string run_result_text(const nlohmann::json& result);

// "0x0123456789abcdef"
std::string hash_text(std::uint64_t hash);

}  // namespace electsim
