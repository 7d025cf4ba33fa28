// Typed readers over untrusted JSON; see json_input.hpp.
#include "sim/json_input.hpp"

#include <fmt/format.h>

#include <cmath>

#include "sim/errors.hpp"

namespace electsim::input {

std::string child(const std::string& pointer, std::string_view key) {
  std::string escaped;
  for (char c : key) {
    if (c == '~')
      escaped += "~0";
    else if (c == '/')
      escaped += "~1";
    else
      escaped += c;
  }
  return pointer + "/" + escaped;
}

std::string child(const std::string& pointer, std::size_t index) {
  return pointer + "/" + std::to_string(index);
}

std::string describe(const json& value) {
  std::string text = value.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  switch (value.type()) {
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::null:
      return "null";
    default:
      return text;
  }
}

const json& require_object(const json& value, const std::string& pointer) {
  if (!value.is_object()) throw InputError(pointer, "expected an object, got " + describe(value));
  return value;
}

const json& require_array(const json& value, const std::string& pointer) {
  if (!value.is_array()) throw InputError(pointer, "expected an array, got " + describe(value));
  return value;
}

void only_keys(const json& object, const std::string& pointer,
               std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, unused] : object.items()) {
    bool known = false;
    for (std::string_view name : allowed) known = known || key == name;
    if (!known) {
      std::string list;
      for (std::string_view name : allowed) list += (list.empty() ? "" : ", ") + std::string(name);
      throw InputError(child(pointer, key), "unknown field (expected one of: " + list + ")");
    }
  }
}

std::string read_string(const json& value, const std::string& pointer) {
  if (!value.is_string()) throw InputError(pointer, "expected a string, got " + describe(value));
  return value.get<std::string>();
}

bool read_bool(const json& value, const std::string& pointer) {
  if (!value.is_boolean())
    throw InputError(pointer, "expected true or false, got " + describe(value));
  return value.get<bool>();
}

double read_number(const json& value, const std::string& pointer, double min, double max) {
  if (!value.is_number()) throw InputError(pointer, "expected a number, got " + describe(value));
  const double x = value.get<double>();
  if (!(x >= min && x <= max))
    throw InputError(pointer, fmt::format("{} is out of range [{}, {}]", value.dump(), min, max));
  return x;
}

std::int64_t read_integer(const json& value, const std::string& pointer, std::int64_t min,
                          std::int64_t max) {
  if (value.is_number_float()) {
    const double x = value.get<double>();
    if (std::floor(x) != x)
      throw InputError(pointer, "expected an integer, got " + describe(value));
    if (!(x >= static_cast<double>(min) && x <= static_cast<double>(max)))
      throw InputError(pointer, fmt::format("{} is out of range [{}, {}]", value.dump(), min, max));
    return static_cast<std::int64_t>(x);
  }
  if (value.is_number_unsigned()) {
    const std::uint64_t x = value.get<std::uint64_t>();
    if (x > static_cast<std::uint64_t>(max) || (min > 0 && x < static_cast<std::uint64_t>(min)))
      throw InputError(pointer, fmt::format("{} is out of range [{}, {}]", x, min, max));
    return static_cast<std::int64_t>(x);
  }
  if (!value.is_number_integer())
    throw InputError(pointer, "expected an integer, got " + describe(value));
  const std::int64_t x = value.get<std::int64_t>();
  if (x < min || x > max)
    throw InputError(pointer, fmt::format("{} is out of range [{}, {}]", x, min, max));
  return x;
}

std::uint64_t read_u64(const json& value, const std::string& pointer) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  if (value.is_number_integer())
    throw InputError(pointer, fmt::format("{} is out of range [0, 2^64-1]", value.dump()));
  throw InputError(pointer, "expected an integer in [0, 2^64-1], got " + describe(value));
}

Time read_time(const json& value, const std::string& pointer, Time min, Time max) {
  Time t = 0;
  std::string why;
  bool ok = false;
  if (value.is_string())
    ok = parse_time_text(value.get<std::string>(), t, why);
  else if (value.is_number())
    ok = time_from_milliseconds(value.get<double>(), t, why);
  else
    why = "expected a time such as \"150ms\"";
  if (!ok) throw InputError(pointer, why + ", got " + describe(value));
  if (t < min || t > max)
    throw InputError(pointer, fmt::format("{} is out of range [{}, {}]", describe(value),
                                          format_time(min), format_time(max)));
  return t;
}

std::pair<Time, Time> read_time_range(const json& value, const std::string& pointer) {
  if (!value.is_array() || value.size() != 2)
    throw InputError(pointer, "expected [min, max] times such as [\"150ms\", \"300ms\"], got " +
                                  describe(value));
  const Time lo = read_time(value[0], child(pointer, 0), 1);
  const Time hi = read_time(value[1], child(pointer, 1), 1);
  if (lo > hi) throw InputError(pointer, "min is greater than max");
  return {lo, hi};
}

}  // namespace electsim::input
