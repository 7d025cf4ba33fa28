// A small SVG writer for electsim's pictures (comparison charts, timelines):
// text, rectangles, lines, arrows and bar-chart axes with "nice" ticks. It
// writes plain SVG 1.1 that browsers and XML parsers read; every value is
// escaped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace electsim {

// A bar chart's coordinate system, from Svg::bar_axes.
struct Axis {
  double left, top, right, bottom;
  double max_value;
  std::size_t bars;
  double y(double value) const {
    return bottom - (bottom - top) * (max_value > 0 ? value / max_value : 0);
  }
  double slot() const { return (right - left) / static_cast<double>(bars ? bars : 1); }
  double bar_center(std::size_t i) const { return left + slot() * (static_cast<double>(i) + 0.5); }
};

class Svg {
 public:
  Svg(double width, double height);
  void text(double x, double y, std::string_view content, std::string_view anchor = "start",
            double size = 12, std::string_view weight = "normal", std::string_view color = "#222");
  void rect(double x, double y, double w, double h, std::string_view fill,
            std::string_view title = "", double opacity = 1.0, std::string_view css_class = "");
  void line(double x1, double y1, double x2, double y2, std::string_view stroke, double width = 1,
            std::string_view dash = "", std::string_view css_class = "");
  // An arrow from (x1, y1) to (x2, y2) with a head, for a message.
  void arrow(double x1, double y1, double x2, double y2, std::string_view stroke,
             std::string_view title, bool dashed = false);
  void cross(double x, double y, double size, std::string_view stroke, std::string_view title);
  void raw(const std::string& element) { body_ += element; }

  // Axes of a bar chart with one slot per label; y from 0 to a nice bound
  // above max_value, with ticks and a y-axis label; returns the coordinates.
  Axis bar_axes(double left, double top, double right, double bottom,
                const std::vector<std::string>& labels, double max_value, std::string_view y_label,
                std::string_view caption);
  void bar(const Axis& axis, std::size_t i, double from, double to, std::string_view fill,
           std::string_view title);
  void whisker(const Axis& axis, std::size_t i, double from, double to);

  // A qualitative palette (Tableau 20), by index.
  static std::string_view palette(std::size_t i);
  // Color i of n, hues spread by the golden angle so that neighbours differ.
  static std::string spread_color(std::size_t i, std::size_t n);
  static std::string escape(std::string_view text);
  // Tick step of about `ticks` intervals up to max: 1, 2 or 5 times 10^k.
  static double nice_step(double max_value, int ticks = 5);

  std::string finish() const;

 private:
  double width_, height_;
  std::string body_;
};

}  // namespace electsim
