// Sweep statistics; see sweep_stats.hpp. Percentiles are nearest-rank over
// the exact values: the p-th percentile of N sorted values is value number
// ceil(p/100 * N).
#include "analysis/sweep_stats.hpp"

#include <algorithm>
#include <cmath>

#include "analysis/result.hpp"

namespace electsim {

using nlohmann::json;

namespace {
const char* const kMetrics[] = {"first_leader_us", "downtime_us",   "messages_sent",
                                "leader_changes",  "leaderless_us", "split_brain_us",
                                "events"};
}

void SweepSummary::add(const json& result) {
  ++runs_;
  const std::vector<std::string> failed = failed_checks(result);
  if (!failed.empty()) {
    json failure = {
        {"seed", result["seed"]}, {"checks", failed}, {"reproduce", result["reproduce"]}};
    if (result.contains("error")) failure["detail"] = result["error"];
    failures_[result["seed"].get<std::uint64_t>()] = failure;
  }
  if (result.contains("error")) return;
  auto& m = metrics_;
  if (!result["first_leader_us"].is_null())
    m["first_leader_us"].push_back(result["first_leader_us"].get<double>());
  for (const json& failover : result["failovers"]) {
    if (failover["downtime_us"].is_null())
      ++downtime_unrecovered_;
    else
      m["downtime_us"].push_back(failover["downtime_us"].get<double>());
  }
  m["messages_sent"].push_back(result["messages"]["sent"].get<double>());
  m["leader_changes"].push_back(result["leader_changes"].get<double>());
  m["leaderless_us"].push_back(result["leaderless_us"].get<double>());
  m["split_brain_us"].push_back(result["split_brain_us"].get<double>());
  m["events"].push_back(result["events"].get<double>());
  wall_us_ += result.value("wall_us", std::int64_t{0});
}

json SweepSummary::stats(std::vector<double> values) {
  if (values.empty())
    return {{"count", 0},     {"mean", nullptr}, {"p50", nullptr},
            {"p90", nullptr}, {"p99", nullptr},  {"max", nullptr}};
  std::sort(values.begin(), values.end());
  double sum = 0;
  for (double v : values) sum += v;
  auto rank = [&](double p) {
    const std::size_t k =
        static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
    return values[std::max<std::size_t>(k, 1) - 1];
  };
  return {{"count", values.size()}, {"mean", sum / static_cast<double>(values.size())},
          {"p50", rank(50)},        {"p90", rank(90)},
          {"p99", rank(99)},        {"max", values.back()}};
}

json SweepSummary::stats_with_ci(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  json out = stats(values);
  if (values.size() < 2) {
    out["ci95"] = nullptr;
    return out;
  }
  const double n = static_cast<double>(values.size());
  const double mean = out["mean"].get<double>();
  double squares = 0;
  for (double v : values) squares += (v - mean) * (v - mean);
  const double half_width = 1.96 * std::sqrt(squares / (n - 1) / n);
  out["ci95"] = {mean - half_width, mean + half_width};
  return out;
}

std::vector<double> SweepSummary::values(const std::string& metric) const {
  const auto it = metrics_.find(metric);
  return it == metrics_.end() ? std::vector<double>{} : it->second;
}

json SweepSummary::to_json() const {
  json failures = json::array();
  for (const auto& [seed, failure] : failures_) failures.push_back(failure);
  json all_stats = json::object();
  for (const char* metric : kMetrics) {
    const auto it = metrics_.find(metric);
    all_stats[metric] = stats(it == metrics_.end() ? std::vector<double>{} : it->second);
  }
  return {{"runs", runs_},
          {"failed", failures_.size()},
          {"failures", failures},
          {"stats", all_stats},
          {"downtime_unrecovered", downtime_unrecovered_},
          {"wall_us_total", wall_us_}};
}

}  // namespace electsim
