// The space-time diagram of one run (`electsim run --timeline FILE.svg`),
// drawn from its JSONL trace: a lane per node, role bands labelled with the
// term, message arrows from send to delivery coloured by type (drops end in a
// cross), crashes and restarts, partitions shaded, safety violations marked.
#include "analysis/timeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <map>
#include <sstream>
#include <tuple>

#include "analysis/svg.hpp"
#include "sim/time.hpp"

namespace electsim {

using nlohmann::json;

namespace {

struct Band {
  NodeId node;
  Time from, to;
  std::string role;  // follower, candidate, leader, down
  Term term;
};

struct Arrow {
  NodeId from, to;
  Time sent, arrived;
  std::string type;
  Term term;
  bool dropped = false;
  bool duplicate = false;
  std::string reason;
};

struct Shade {
  Time from, to;
  std::string label;
};

struct Marker {
  NodeId node;
  Time t;
  bool crash;
};

struct Parsed {
  std::vector<Band> bands;
  std::vector<Arrow> arrows;
  std::vector<Shade> shades;
  std::vector<Marker> markers;
  std::vector<std::string> types;  // in order of first appearance
};

Parsed parse_trace(const std::string& jsonl, std::uint32_t nodes, Time duration) {
  Parsed p;
  struct NodeState {
    std::string role = "follower";
    Term term = 0;
    Time since = 0;
  };
  std::vector<NodeState> state(nodes + 1);
  using Key = std::tuple<NodeId, NodeId, std::string, Term>;
  std::map<Key, std::deque<Time>> in_flight;  // sends awaiting delivery, FIFO per key
  std::map<Key, Time> last_sent;
  std::map<std::string, std::deque<Shade>> open_shades;  // by fault entry
  auto close_band = [&](NodeId node, Time t) {
    NodeState& s = state[node];
    if (t > s.since || s.role != "follower")
      p.bands.push_back(Band{node, s.since, t, s.role, s.term});
    s.since = t;
  };
  std::istringstream lines(jsonl);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    const json e = json::parse(line);
    const std::string ev = e["ev"].get<std::string>();
    const Time t = e["t_us"].get<Time>();
    if (ev == "send" || ev == "deliver" || ev == "drop") {
      const std::string type = e["type"].get<std::string>();
      if (std::find(p.types.begin(), p.types.end(), type) == p.types.end()) p.types.push_back(type);
      const Key key{e["from"].get<NodeId>(), e["to"].get<NodeId>(), type, e["term"].get<Term>()};
      if (ev == "send") {
        in_flight[key].push_back(t);
        last_sent[key] = t;
        continue;
      }
      const std::string reason = ev == "drop" ? e["reason"].get<std::string>() : "";
      Arrow arrow{std::get<0>(key), std::get<1>(key), t,     t,     type,
                  std::get<3>(key), ev == "drop",     false, reason};
      auto& queue = in_flight[key];
      if (ev == "drop" && reason != "stale" && !queue.empty() && queue.back() == t) {
        queue.pop_back();  // dropped as it was sent
      } else if (!queue.empty()) {
        arrow.sent = queue.front();
        queue.pop_front();
      } else {
        arrow.sent =
            last_sent.count(key) ? last_sent[key] : t;  // the second copy of a duplicated message
        arrow.duplicate = true;
      }
      p.arrows.push_back(arrow);
    } else if (ev == "role") {
      const NodeId node = e["node"].get<NodeId>();
      if (state[node].role == "down") continue;  // the crash's own report
      close_band(node, t);
      state[node].role = e["role"].get<std::string>();
      state[node].term = e["term"].get<Term>();
    } else if (ev == "crash") {
      const NodeId node = e["node"].get<NodeId>();
      close_band(node, t);
      state[node].role = "down";
      p.markers.push_back(Marker{node, t, true});
    } else if (ev == "restart") {
      const NodeId node = e["node"].get<NodeId>();
      close_band(node, t);
      state[node].role = "follower";
      p.markers.push_back(Marker{node, t, false});
    } else if (ev == "fault") {
      const std::string action = e["action"].get<std::string>();
      const std::string entry = e.value("entry", "");
      const bool undo = e.value("undo", false);
      if (action == "heal") {
        for (auto& [unused, open] : open_shades)
          for (Shade& shade : open) p.shades.push_back(Shade{shade.from, t, shade.label});
        open_shades.clear();
      } else if (action == "partition" || action == "isolate" || action == "cut") {
        if (undo) {
          auto& open = open_shades[entry];
          if (!open.empty()) {
            p.shades.push_back(Shade{open.front().from, t, open.front().label});
            open.pop_front();
          }
        } else {
          std::string label = action;
          if (e.contains("detail"))
            label += " " + e["detail"].dump();
          else if (e.contains("nodes"))
            label += " " + e["nodes"].dump();
          open_shades[entry].push_back(Shade{t, duration, label});
        }
      }
    }
  }
  for (NodeId node = 1; node <= nodes; ++node) close_band(node, duration);
  for (auto& [unused, open] : open_shades)
    for (Shade& shade : open) p.shades.push_back(shade);
  return p;
}

std::string_view role_color(const std::string& role) {
  if (role == "leader") return "#59a14f";
  if (role == "candidate") return "#edc948";
  if (role == "down") return "#555555";
  return "#e8e8e8";
}

}  // namespace

std::string timeline_svg(const std::string& trace_jsonl, const json& result,
                         const TimelineOptions& options) {
  const auto nodes = result["nodes"].get<std::uint32_t>();
  const Time duration = result["duration_us"].get<Time>();
  const Time from = std::max<Time>(0, options.from);
  const Time to = std::min(options.to > 0 ? options.to : duration, duration);
  const Parsed p = parse_trace(trace_jsonl, nodes, duration);

  const double left = 80, right_margin = 30, top = 70, width = 1200;
  const double lane = std::clamp(520.0 / nodes, 34.0, 72.0);
  const double lanes_bottom = top + lane * nodes;
  const double legend_top = lanes_bottom + 60;
  const double height = legend_top + 18 * static_cast<double>((p.types.size() + 5) / 6) + 70;
  const double plot_right = width - right_margin;
  auto x_of = [&](Time t) {
    const double clamped = static_cast<double>(std::clamp(t, from, to));
    return left + (plot_right - left) * (clamped - static_cast<double>(from)) /
                      static_cast<double>(std::max<Time>(1, to - from));
  };
  auto lane_y = [&](NodeId node) { return top + lane * (static_cast<double>(node) - 0.5); };
  auto type_color = [&](const std::string& type) {
    const auto index =
        static_cast<std::size_t>(std::find(p.types.begin(), p.types.end(), type) - p.types.begin());
    return Svg::spread_color(index, p.types.size());
  };

  Svg svg(width, height);
  svg.text(
      width / 2, 26,
      fmt::format("{}  ({}, {} nodes, seed {}; {} .. {})", result["scenario"].get<std::string>(),
                  result["algorithm"].get<std::string>(), nodes,
                  result["seed"].get<std::uint64_t>(), format_time(from), format_time(to)),
      "middle", 15, "bold");
  svg.text(width / 2, 46, fmt::format("verdict: {}", result["verdict"].get<std::string>()),
           "middle", 12, "normal", result["verdict"] == "pass" ? "#2d7a2d" : "#b22222");

  // Partitions, behind everything.
  for (const Shade& shade : p.shades) {
    if (shade.to < from || shade.from > to) continue;
    svg.rect(x_of(shade.from), top, x_of(shade.to) - x_of(shade.from), lanes_bottom - top,
             "#e15759", shade.label, 0.12, "partition");
    svg.text(x_of(shade.from) + 3, top - 4,
             shade.label.size() > 40 ? shade.label.substr(0, 37) + "..." : shade.label, "start", 10,
             "normal", "#b22222");
  }
  // Lanes and role bands.
  for (NodeId node = 1; node <= nodes; ++node) {
    svg.text(left - 10, lane_y(node) + 4, fmt::format("node {}", node), "end", 12);
    svg.line(left, lane_y(node), plot_right, lane_y(node), "#bbb", 1);
  }
  for (const Band& band : p.bands) {
    if (band.to < from || band.from > to || band.role == "follower") continue;
    const double x = x_of(band.from), w = std::max(1.5, x_of(band.to) - x);
    const double h = band.role == "down" ? lane * 0.2 : lane * 0.36;
    svg.rect(x, lane_y(band.node) - h / 2, w, h, role_color(band.role),
             fmt::format("node {} {} term {} from {} to {}", band.node, band.role, band.term,
                         format_time(band.from), format_time(band.to)),
             band.role == "down" ? 0.6 : 0.85, "band " + band.role);
    if (band.role != "down" && w > 24)
      svg.text(x + 3, lane_y(band.node) - h / 2 - 3, fmt::format("T{}", band.term), "start", 10,
               "bold", "#333");
  }
  // Messages.
  std::size_t drawn = 0, in_window = 0;
  for (const Arrow& a : p.arrows) {
    if (a.arrived < from || a.sent > to) continue;
    ++in_window;
    if (drawn >= options.max_arrows) continue;
    ++drawn;
    const std::string color = type_color(a.type);
    const std::string title = fmt::format(
        "{} {} -> {} term {} sent {} {}", a.type, a.from, a.to, a.term, format_time(a.sent),
        a.dropped ? "dropped (" + a.reason + ") at " + format_time(a.arrived)
                  : "delivered " + format_time(a.arrived));
    const double y1 = lane_y(a.from), y2 = lane_y(a.to);
    if (a.dropped && a.arrived == a.sent) {
      // Dropped as sent: a stub a third of the way towards the destination.
      const double ym = y1 + (y2 - y1) / 3;
      const double xm = x_of(a.sent) + 6;
      svg.line(x_of(a.sent), y1, xm, ym, color, 1.2, "2,2", "message dropped");
      svg.cross(xm, ym, 3, "#b22222", title);
    } else if (a.dropped) {
      svg.line(x_of(a.sent), y1, x_of(a.arrived), y2, color, 1.2, "2,2", "message dropped");
      svg.cross(x_of(a.arrived), y2, 3, "#b22222", title);
    } else {
      svg.arrow(x_of(a.sent), y1, x_of(a.arrived), y2, color, title, a.duplicate);
    }
  }
  // Crashes and restarts.
  for (const Marker& m : p.markers) {
    if (m.t < from || m.t > to) continue;
    if (m.crash) {
      svg.cross(x_of(m.t), lane_y(m.node), 7, "#b22222",
                fmt::format("node {} crashed at {}", m.node, format_time(m.t)));
    } else {
      const double x = x_of(m.t), y = lane_y(m.node);
      svg.raw(fmt::format(
          R"(<polygon class="restart" points="{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}" fill="#2d7a2d"><title>node {} restarted at {}</title></polygon>)"
          "\n",
          x - 6, y + 6, x + 6, y + 6, x, y - 6, m.node, Svg::escape(format_time(m.t))));
    }
  }
  // Safety violations.
  for (const json& v : result["safety"]["violations"]) {
    const Time t = v["at_us"].get<Time>();
    if (t < from || t > to) continue;
    svg.line(x_of(t), top - 10, x_of(t), lanes_bottom + 6, "#b22222", 2, "6,3", "violation");
    svg.text(x_of(t) + 4, lanes_bottom + 18,
             v["kind"].get<std::string>() + ": " + v["detail"].get<std::string>(), "start", 11,
             "bold", "#b22222");
  }
  // Time axis.
  const double span = static_cast<double>(to - from);
  const double step = Svg::nice_step(span, 8);
  svg.line(left, lanes_bottom + 24, plot_right, lanes_bottom + 24, "#333", 1);
  for (double t = std::ceil(static_cast<double>(from) / step) * step;
       t <= static_cast<double>(to) + 0.5; t += step) {
    const double x = x_of(static_cast<Time>(t));
    svg.line(x, lanes_bottom + 24, x, lanes_bottom + 29, "#333", 1);
    svg.text(x, lanes_bottom + 42, format_time(static_cast<Time>(t)), "middle", 11, "normal",
             "#444");
  }
  // Legend.
  double lx = left;
  for (const char* role : {"candidate", "leader", "down"}) {
    svg.rect(lx, legend_top - 10, 14, 10, role_color(role), "", 0.85);
    svg.text(lx + 18, legend_top, role, "start", 11);
    lx += 100;
  }
  svg.cross(lx + 6, legend_top - 5, 4, "#b22222", "crash or dropped message");
  svg.text(lx + 16, legend_top, "crash / dropped message", "start", 11);
  svg.rect(lx + 190, legend_top - 10, 14, 10, "#e15759", "", 0.2);
  svg.text(lx + 208, legend_top, "partition", "start", 11);
  for (std::size_t i = 0; i < p.types.size(); ++i) {
    const double x = left + static_cast<double>(i % 6) * 180,
                 y = legend_top + 22 + static_cast<double>(i / 6) * 18;
    svg.line(x, y - 4, x + 16, y - 4, type_color(p.types[i]), 2.5);
    svg.text(x + 22, y, p.types[i], "start", 11);
  }
  if (drawn < in_window)
    svg.text(left, height - 12,
             fmt::format(
                 "showing the first {} of {} messages in this window; zoom in with --window A..B",
                 drawn, in_window),
             "start", 12, "bold", "#b22222");
  return svg.finish();
}

}  // namespace electsim
