// Typed readers over untrusted JSON. Each names the JSON pointer of the value
// it reads, so every error message can say exactly which field is wrong.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "sim/time.hpp"

namespace electsim::input {

using nlohmann::json;

std::string child(const std::string& pointer, std::string_view key);
std::string child(const std::string& pointer, std::size_t index);

// "an object", "a string", ... and the value itself, shortened, for messages.
std::string describe(const json& value);

const json& require_object(const json& value, const std::string& pointer);
const json& require_array(const json& value, const std::string& pointer);
// Fails on any key not in `allowed`.
void only_keys(const json& object, const std::string& pointer,
               std::initializer_list<std::string_view> allowed);

std::string read_string(const json& value, const std::string& pointer);
bool read_bool(const json& value, const std::string& pointer);
double read_number(const json& value, const std::string& pointer, double min, double max);
std::int64_t read_integer(const json& value, const std::string& pointer, std::int64_t min,
                          std::int64_t max);
std::uint64_t read_u64(const json& value, const std::string& pointer);
// A time: a number of milliseconds or a string with a unit, within [min, max].
Time read_time(const json& value, const std::string& pointer, Time min = 0, Time max = kNever / 2);
// [min, max] of times, 0 < min <= max.
std::pair<Time, Time> read_time_range(const json& value, const std::string& pointer);

}  // namespace electsim::input
