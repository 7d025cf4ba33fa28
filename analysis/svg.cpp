// A small SVG writer; see svg.hpp.
#include "analysis/svg.hpp"

#include <fmt/format.h>

#include <cmath>

namespace electsim {

Svg::Svg(double width, double height) : width_(width), height_(height) {}

std::string Svg::escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string_view Svg::palette(std::size_t i) {
  static const char* const kColors[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                        "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
                                        "#1f77b4", "#aec7e8", "#ff7f0e", "#ffbb78", "#2ca02c",
                                        "#98df8a", "#d62728", "#ff9896", "#9467bd", "#c5b0d5"};
  return kColors[i % std::size(kColors)];
}

std::string Svg::spread_color(std::size_t i, std::size_t n) {
  if (n <= 10) return std::string(palette(i));
  const double hue = std::fmod(static_cast<double>(i) * 137.508, 360.0);
  const int lightness = i % 3 == 0 ? 42 : i % 3 == 1 ? 56 : 68;
  return fmt::format("hsl({:.0f},{}%,{}%)", hue, i % 2 == 0 ? 62 : 48, lightness);
}

double Svg::nice_step(double max_value, int ticks) {
  if (!(max_value > 0)) return 1;
  const double raw = max_value / ticks;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double factor : {1.0, 2.0, 5.0, 10.0})
    if (raw <= factor * magnitude) return factor * magnitude;
  return 10 * magnitude;
}

void Svg::text(double x, double y, std::string_view content, std::string_view anchor, double size,
               std::string_view weight, std::string_view color) {
  body_ += fmt::format(
      R"(<text x="{:.1f}" y="{:.1f}" text-anchor="{}" font-size="{}" font-weight="{}" fill="{}">{}</text>)"
      "\n",
      x, y, anchor, size, weight, color, escape(content));
}

void Svg::rect(double x, double y, double w, double h, std::string_view fill,
               std::string_view title, double opacity, std::string_view css_class) {
  body_ += fmt::format(
      R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}" fill-opacity="{}")",
      x, y, std::max(0.0, w), std::max(0.0, h), fill, opacity);
  if (!css_class.empty()) body_ += fmt::format(R"( class="{}")", css_class);
  if (title.empty())
    body_ += "/>\n";
  else
    body_ += fmt::format("><title>{}</title></rect>\n", escape(title));
}

void Svg::line(double x1, double y1, double x2, double y2, std::string_view stroke, double width,
               std::string_view dash, std::string_view css_class) {
  body_ += fmt::format(
      R"(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}" stroke-width="{}")", x1,
      y1, x2, y2, stroke, width);
  if (!dash.empty()) body_ += fmt::format(R"( stroke-dasharray="{}")", dash);
  if (!css_class.empty()) body_ += fmt::format(R"( class="{}")", css_class);
  body_ += "/>\n";
}

void Svg::arrow(double x1, double y1, double x2, double y2, std::string_view stroke,
                std::string_view title, bool dashed) {
  const double angle = std::atan2(y2 - y1, x2 - x1);
  const double head = 6;
  const double ax = x2 - head * std::cos(angle - 0.4), ay = y2 - head * std::sin(angle - 0.4);
  const double bx = x2 - head * std::cos(angle + 0.4), by = y2 - head * std::sin(angle + 0.4);
  body_ += fmt::format(R"(<g class="message"><title>{}</title>)", escape(title));
  body_ += fmt::format(
      R"(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}" stroke-width="1.2"{}/>)",
      x1, y1, x2, y2, stroke, dashed ? R"( stroke-dasharray="3,3")" : "");
  body_ +=
      fmt::format(R"(<polygon points="{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}" fill="{}"/></g>)"
                  "\n",
                  x2, y2, ax, ay, bx, by, stroke);
}

void Svg::cross(double x, double y, double size, std::string_view stroke, std::string_view title) {
  body_ += fmt::format(R"(<g class="drop"><title>{}</title>)", escape(title));
  body_ += fmt::format(
      R"(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}" stroke-width="2"/>)",
      x - size, y - size, x + size, y + size, stroke);
  body_ += fmt::format(
      R"(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}" stroke-width="2"/></g>)"
      "\n",
      x - size, y + size, x + size, y - size, stroke);
}

Axis Svg::bar_axes(double left, double top, double right, double bottom,
                   const std::vector<std::string>& labels, double max_value,
                   std::string_view y_label, std::string_view caption) {
  const double step = nice_step(max_value);
  const double bound = max_value > 0 ? std::ceil(max_value * 1.08 / step) * step : 1;
  const Axis axis{left, top, right, bottom, bound, labels.size()};
  text((left + right) / 2, top - 20, caption, "middle", 14, "bold");
  for (double v = 0; v <= bound + step / 2; v += step) {
    const double y = axis.y(v);
    line(left, y, right, y, "#ddd", 1);
    text(left - 6, y + 4, fmt::format("{:g}", v), "end", 11, "normal", "#444");
  }
  line(left, top, left, bottom, "#333", 1);
  line(left, bottom, right, bottom, "#333", 1);
  for (std::size_t i = 0; i < labels.size(); ++i)
    text(axis.bar_center(i), bottom + 18, labels[i], "middle", 12);
  body_ += fmt::format(
      R"svg(<text transform="translate({:.1f},{:.1f}) rotate(-90)" text-anchor="middle" font-size="11" fill="#444">{}</text>)svg"
      "\n",
      left - 44, (top + bottom) / 2, escape(y_label));
  return axis;
}

void Svg::bar(const Axis& axis, std::size_t i, double from, double to, std::string_view fill,
              std::string_view title) {
  const double w = axis.slot() * 0.6;
  rect(axis.bar_center(i) - w / 2, axis.y(to), w, axis.y(from) - axis.y(to), fill, title, 1.0,
       "bar");
}

void Svg::whisker(const Axis& axis, std::size_t i, double from, double to) {
  const double x = axis.bar_center(i);
  line(x, axis.y(from), x, axis.y(to), "#333", 1.5);
  line(x - 6, axis.y(to), x + 6, axis.y(to), "#333", 1.5);
}

std::string Svg::finish() const {
  return fmt::format(
      R"(<?xml version="1.0" encoding="UTF-8"?>)"
      "\n"
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">)"
      "\n"
      R"(<rect width="100%" height="100%" fill="white"/>)"
      "\n{2}</svg>\n",
      width_, height_, body_);
}

}  // namespace electsim
