// Comparing algorithms; see comparison.hpp.
#include "analysis/comparison.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "analysis/svg.hpp"

namespace electsim {

using nlohmann::json;

namespace {
// The metrics compared, in the order they are shown.
const char* const kMetrics[] = {"first_leader_us", "downtime_us",   "leader_changes",
                                "split_brain_us",  "leaderless_us", "messages_sent",
                                "events"};
}  // namespace

void AlgorithmComparison::add(const json& result) {
  summary_.add(result);
  if (result.contains("error")) return;
  const double elections = static_cast<double>(result["leaders"].size());
  for (const auto& [type, count] : result["messages"]["by_type"].items()) {
    per_run_[type].push_back(count.get<double>());
    if (elections > 0) per_election_[type].push_back(count.get<double>() / elections);
  }
}

json AlgorithmComparison::to_json() const {
  const json summary = summary_.to_json();
  json stats = json::object();
  for (const char* metric : kMetrics)
    stats[metric] = SweepSummary::stats_with_ci(summary_.values(metric));
  json by_type = json::object();
  for (const auto& [type, values] : per_run_) {
    const auto it = per_election_.find(type);
    by_type[type] = {
        {"per_run", SweepSummary::stats_with_ci(values)},
        {"per_election", SweepSummary::stats_with_ci(
                             it == per_election_.end() ? std::vector<double>{} : it->second)}};
  }
  return {{"algorithm", algorithm_},
          {"runs", summary["runs"]},
          {"failed", summary["failed"]},
          {"failures", summary["failures"]},
          {"downtime_unrecovered", summary["downtime_unrecovered"]},
          {"stats", stats},
          {"by_type", by_type}};
}

namespace {

std::string number(const json& v, double scale = 1) {
  return v.is_null() ? std::string("-") : fmt::format("{:.4g}", v.get<double>() / scale);
}

// 1234 rather than 1.23e+03 on a chart.
std::string short_number(double value) {
  return value >= 100 ? fmt::format("{:.0f}", value) : fmt::format("{:.3g}", value);
}

std::string cell(const json& st, double scale) {
  if (st["count"].get<std::size_t>() == 0) return "-";
  return fmt::format("{} ({}/{})", number(st["mean"], scale), number(st["p50"], scale),
                     number(st["p99"], scale));
}

}  // namespace

std::string comparison_text(const json& comparison, const std::string& scenario) {
  const json& algorithms = comparison["algorithms"];
  std::string out = fmt::format("{}: ", scenario);
  for (const json& a : algorithms)
    out += fmt::format("{} {}/{} failed  ", a["algorithm"].get<std::string>(),
                       a["failed"].get<std::size_t>(), a["runs"].get<std::size_t>());
  out += "\n\nmean (p50/p99) per run";
  const std::size_t width = 24;
  std::string header = fmt::format("\n{:<{}}", "", 26);
  for (const json& a : algorithms)
    header += fmt::format("{:>{}}", a["algorithm"].get<std::string>(), width);
  out += header + "\n";
  const std::pair<const char*, std::pair<const char*, double>> rows[] = {
      {"first_leader_us", {"first leader (ms)", 1000}},
      {"downtime_us", {"failover downtime (ms)", 1000}},
      {"leader_changes", {"leader changes", 1}},
      {"split_brain_us", {"split brain (ms)", 1000}},
      {"leaderless_us", {"leaderless (ms)", 1000}},
      {"messages_sent", {"messages sent", 1}}};
  for (const auto& [metric, label_scale] : rows) {
    out += fmt::format("{:<26}", label_scale.first);
    for (const json& a : algorithms)
      out += fmt::format("{:>{}}", cell(a["stats"][metric], label_scale.second), width);
    out += "\n";
  }
  out += "\nmessages per election by type, mean (p50/p99)\n";
  for (const json& a : algorithms) {
    out += fmt::format("  {}:", a["algorithm"].get<std::string>());
    for (const auto& [type, st] : a["by_type"].items())
      if (st["per_run"]["max"].is_number() && st["per_run"]["max"].get<double>() > 0)
        out += fmt::format(" {} {}", type, cell(st["per_election"], 1));
    out += "\n";
  }
  bool any_failure = false;
  for (const json& a : algorithms)
    for (const json& f : a["failures"]) {
      if (!any_failure) out += "\nfailures (first 5 per algorithm):\n";
      any_failure = true;
      if (&f - &a["failures"][0] >= 5) break;
      out += fmt::format("  {:<8} seed {:<6} {}\n", a["algorithm"].get<std::string>(),
                         f["seed"].get<std::uint64_t>(), f["reproduce"].get<std::string>());
    }
  return out;
}

std::string comparison_csv(const json& comparison) {
  std::string out = "algorithm,metric,count,mean,p50,p90,p99,max,ci95_low,ci95_high\n";
  auto row = [&](const std::string& algorithm, const std::string& metric, const json& st) {
    auto v = [&](const json& x) {
      return x.is_null() ? std::string() : fmt::format("{}", x.get<double>());
    };
    out += fmt::format("{},{},{},{},{},{},{},{},{},{}\n", algorithm, metric,
                       st["count"].get<std::size_t>(), v(st["mean"]), v(st["p50"]), v(st["p90"]),
                       v(st["p99"]), v(st["max"]),
                       st["ci95"].is_null() ? std::string() : v(st["ci95"][0]),
                       st["ci95"].is_null() ? std::string() : v(st["ci95"][1]));
  };
  for (const json& a : comparison["algorithms"]) {
    const std::string name = a["algorithm"].get<std::string>();
    for (const auto& [metric, st] : a["stats"].items()) row(name, metric, st);
    for (const auto& [type, st] : a["by_type"].items()) {
      row(name, "messages_per_run." + type, st["per_run"]);
      row(name, "messages_per_election." + type, st["per_election"]);
    }
  }
  return out;
}

std::string comparison_chart_svg(const json& comparison, const std::string& title) {
  const json& algorithms = comparison["algorithms"];
  // Message types in a fixed order: by algorithm, then as listed.
  std::vector<std::string> types;
  for (const json& a : algorithms)
    for (const auto& [type, st] : a["by_type"].items())
      if (!st["per_election"]["mean"].is_null() && st["per_election"]["mean"].get<double>() > 0 &&
          std::find(types.begin(), types.end(), type) == types.end())
        types.push_back(type);

  const double width = 1120;
  const double legend_top = 440;
  const double height = legend_top + 18 * static_cast<double>((types.size() + 3) / 4) + 50;
  Svg svg(width, height);
  svg.text(width / 2, 28, title, "middle", 18, "bold");

  // Panel 1: messages per election, stacked by type.
  const double top = 70, bottom = 390;
  std::vector<std::string> labels;
  for (const json& a : algorithms) labels.push_back(a["algorithm"].get<std::string>());
  std::vector<double> totals;
  for (const json& a : algorithms) {
    double total = 0;
    for (const std::string& type : types)
      if (a["by_type"].contains(type) && !a["by_type"][type]["per_election"]["mean"].is_null())
        total += a["by_type"][type]["per_election"]["mean"].get<double>();
    totals.push_back(total);
  }
  {
    const Axis axis =
        svg.bar_axes(70, top, 440, bottom, labels, *std::max_element(totals.begin(), totals.end()),
                     "messages per election (mean)", "Messages per election, by type");
    for (std::size_t i = 0; i < algorithms.size(); ++i) {
      double base = 0;
      for (std::size_t t = 0; t < types.size(); ++t) {
        const json& by_type = algorithms[i]["by_type"];
        if (!by_type.contains(types[t]) || by_type[types[t]]["per_election"]["mean"].is_null())
          continue;
        const double value = by_type[types[t]]["per_election"]["mean"].get<double>();
        svg.bar(axis, i, base, base + value, Svg::spread_color(t, types.size()),
                fmt::format("{} {}: {:.3g} per election", labels[i], types[t], value));
        base += value;
      }
      svg.text(axis.bar_center(i), axis.y(base) - 6, short_number(base), "middle", 12);
    }
  }
  // Panels 2 and 3: first leader and failover downtime, p50 bars with p90 whiskers.
  auto time_panel = [&](double left, double right, const char* metric, const std::string& caption) {
    double max_value = 0;
    for (const json& a : algorithms)
      if (!a["stats"][metric]["p90"].is_null())
        max_value = std::max(max_value, a["stats"][metric]["p90"].get<double>() / 1000);
    const Axis axis = svg.bar_axes(left, top, right, bottom, labels, max_value,
                                   "milliseconds (bar p50, whisker p90)", caption);
    for (std::size_t i = 0; i < algorithms.size(); ++i) {
      const json& st = algorithms[i]["stats"][metric];
      if (st["count"].get<std::size_t>() == 0) {
        svg.text(axis.bar_center(i), axis.y(0) - 8, "none", "middle", 12, "normal", "#666");
        continue;
      }
      const double p50 = st["p50"].get<double>() / 1000, p90 = st["p90"].get<double>() / 1000;
      svg.bar(axis, i, 0, p50, "#4e79a7",
              fmt::format("{} {} p50 {:.4g} ms", labels[i], metric, p50));
      svg.whisker(axis, i, p50, p90);
      svg.text(axis.bar_center(i), axis.y(p90) - 6, short_number(p50), "middle", 12);
    }
  };
  time_panel(560, 800, "first_leader_us", "Time to first leader");
  time_panel(870, 1100, "downtime_us", "Failover downtime");

  // Legend of message types, in four columns.
  svg.text(70, legend_top, "message types:", "start", 12, "bold");
  for (std::size_t t = 0; t < types.size(); ++t) {
    const double x = 70 + static_cast<double>(t % 4) * 245,
                 y = legend_top + 18 + static_cast<double>(t / 4) * 18;
    svg.rect(x, y - 10, 12, 12, Svg::spread_color(t, types.size()));
    svg.text(x + 18, y, types[t], "start", 12);
  }
  std::string runs;
  for (const json& a : algorithms)
    runs += fmt::format("{}{}: {} runs, {} failed", runs.empty() ? "" : "; ",
                        a["algorithm"].get<std::string>(), a["runs"].get<std::size_t>(),
                        a["failed"].get<std::size_t>());
  svg.text(70, height - 14, runs, "start", 11, "normal", "#444");
  return svg.finish();
}

}  // namespace electsim
