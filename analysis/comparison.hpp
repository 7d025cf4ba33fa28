// Comparing algorithms on the same scenario and seeds (`electsim compare`):
// per algorithm, the sweep statistics of DESIGN.md with 95% confidence
// intervals, and message counts by type per run and per election.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/sweep_stats.hpp"

namespace electsim {

class AlgorithmComparison {
 public:
  explicit AlgorithmComparison(std::string algorithm) : algorithm_(std::move(algorithm)) {}
  void add(const nlohmann::json& result);
  // { algorithm, runs, failed, failures, stats, by_type: { TYPE: { per_run, per_election } } }
  nlohmann::json to_json() const;
  std::size_t failed() const { return summary_.failed(); }

 private:
  std::string algorithm_;
  SweepSummary summary_;
  std::map<std::string, std::vector<double>> per_run_, per_election_;
};

// The comparison as text for a person, as CSV (a header, then one row per
// algorithm and metric) and as an SVG bar chart.
std::string comparison_text(const nlohmann::json& comparison, const std::string& scenario);
std::string comparison_csv(const nlohmann::json& comparison);
std::string comparison_chart_svg(const nlohmann::json& comparison, const std::string& title);

}  // namespace electsim
