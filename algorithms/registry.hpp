// The algorithms electsim can run. Adding one is a folder under algorithms/
// and one line in registry.cpp.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sim/params.hpp"
#include "sim/run_record.hpp"
#include "sim/scenario.hpp"
#include "sim/trace.hpp"

namespace electsim {

struct AlgorithmInfo {
  std::string name;
  std::string summary;  // one line for `electsim list`
  std::vector<ParamSpec> params;
  // Runs one simulation with validated `params` (Scenario::params_for).
  std::function<RunRecord(const Scenario&, const nlohmann::json& params, Trace&)> run;
  // Election safety (one leader per term) is a promise of this algorithm.
  bool promises_election_safety = true;
  // Bully-style checks (DESIGN.md): split brain beyond a grace is a safety
  // violation, and liveness is judged in every maximal connected set.
  bool synchronous_checks = false;
  // The param whose value is the default split-brain grace (Bully).
  std::string split_brain_grace_param;
};

class Registry final : public ParamCatalog {
 public:
  Registry();
  const AlgorithmInfo* algorithm(std::string_view name) const;
  const std::vector<AlgorithmInfo>& all() const { return algorithms_; }
  const std::vector<ParamSpec>* find(std::string_view name) const override;
  std::vector<std::string> names() const override;

 private:
  std::vector<AlgorithmInfo> algorithms_;
};

const Registry& registry();

// One per algorithm folder.
AlgorithmInfo raft_algorithm();
AlgorithmInfo bully_algorithm();
AlgorithmInfo paxos_algorithm();
AlgorithmInfo zab_algorithm();

}  // namespace electsim
