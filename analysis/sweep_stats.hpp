// The summary of many runs (DESIGN.md, `sweep --format json`): runs, failures
// with their reproduce commands, and per-metric statistics. It depends only on
// the set of run results, never on their order, so every --jobs and every
// sharding gives the same JSON (values are sorted before they are summed).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace electsim {

class SweepSummary {
 public:
  // One run's result as `run --format json` prints it, or an internal-error
  // line ({"seed", "error", "reproduce"}).
  void add(const nlohmann::json& result);
  nlohmann::json to_json() const;
  std::size_t runs() const { return runs_; }
  std::size_t failed() const { return failures_.size(); }
  // Stats of one metric's values: count, mean, p50, p90, p99, max.
  static nlohmann::json stats(std::vector<double> values);
  // The same plus ci95: [low, high], the normal-approximation 95% confidence
  // interval of the mean (mean +- 1.96 s / sqrt(n)); null below 2 values.
  static nlohmann::json stats_with_ci(std::vector<double> values);
  // One metric's values so far (empty if none).
  std::vector<double> values(const std::string& metric) const;

 private:
  std::size_t runs_ = 0;
  std::map<std::uint64_t, nlohmann::json> failures_;  // by seed
  std::map<std::string, std::vector<double>> metrics_;
  std::size_t downtime_unrecovered_ = 0;
  std::int64_t wall_us_ = 0;
};

}  // namespace electsim
