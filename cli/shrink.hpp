// Shrinking a failing run to a smaller scenario that fails the same way: the
// nemesis becomes its concrete schedule, then fault entries, repeats, `for`
// windows, jitter, the duration, the node count, loss and delays are cut
// while the failure stays. Greedy and deterministic: candidates are tried in a
// fixed order and each accepted one is kept (delta debugging in spirit, after
// Zeller and Hildebrandt 2002).
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace electsim {

// What "fails the same way" compares: the failed checks and, for safety, the
// kinds of violation.
struct FailureSignature {
  std::vector<std::string> checks;
  std::set<std::string> violation_kinds;
  bool operator==(const FailureSignature&) const = default;
  std::string describe() const;
};

FailureSignature failure_signature(const nlohmann::json& result);

struct ShrinkOutcome {
  nlohmann::json scenario;  // standalone: no nemesis, same seed
  nlohmann::json result;    // its run's result
  FailureSignature signature;
  std::vector<std::string> steps;  // what each accepted step removed
  int runs = 0;                    // candidate runs tried
};

// `document` is the scenario JSON after overrides (Scenario::effective) with
// its seed set; `file` names it in messages. Throws InputError if the run does
// not fail.
ShrinkOutcome shrink_scenario(const nlohmann::json& document, const std::string& file);

}  // namespace electsim
