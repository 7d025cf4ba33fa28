// Virtual time: an integer count of microseconds since the start of a run.
// Integer time keeps runs exact and identical across machines; the scenario
// format's units (us, ms, s, m) are parsed here and nowhere else.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace electsim {

using Time = std::int64_t;  // microseconds

// 128-bit integers for exact products (g++ extension; marked so -Wpedantic accepts it).
__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

inline constexpr Time kMicrosecond = 1;
inline constexpr Time kMillisecond = 1000;
inline constexpr Time kSecond = 1000 * kMillisecond;
inline constexpr Time kMinute = 60 * kSecond;
inline constexpr Time kDay = 24 * 60 * kMinute;
inline constexpr Time kNever = std::numeric_limits<Time>::max();

// Parses "150ms", "1.5s", "20us", "2m" or a plain decimal number of
// milliseconds ("0.25"). Returns false if the text is not a time or is not a
// whole number of microseconds; `why` then says what is wrong.
bool parse_time_text(std::string_view text, Time& out, std::string& why);

// Converts a JSON number of milliseconds; false if not a whole microsecond.
bool time_from_milliseconds(double ms, Time& out, std::string& why);

// "1.5s", "150ms", "20us": the shortest exact form, for people.
std::string format_time(Time t);

}  // namespace electsim
