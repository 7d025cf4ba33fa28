// Parsing and printing of virtual times. Strings are parsed as exact decimals
// so that "0.1s" is exactly 100000 us, with no binary floating point involved.
#include "sim/time.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>

namespace electsim {
namespace {

// Parses "[digits][.digits][e[+-]digits]" into a scaled integer:
// value = mantissa / 10^frac_digits (frac_digits may be negative).
bool parse_decimal(std::string_view s, std::int64_t& mantissa, int& frac_digits) {
  mantissa = 0;
  frac_digits = 0;
  bool seen_digit = false, seen_point = false;
  std::size_t i = 0;
  for (; i < s.size() && s[i] != 'e' && s[i] != 'E'; ++i) {
    const char c = s[i];
    if (c == '.') {
      if (seen_point) return false;
      seen_point = true;
    } else if (c >= '0' && c <= '9') {
      if (mantissa > (std::numeric_limits<std::int64_t>::max() - 9) / 10) return false;
      mantissa = mantissa * 10 + (c - '0');
      seen_digit = true;
      if (seen_point) ++frac_digits;
    } else {
      return false;
    }
  }
  if (!seen_digit) return false;
  if (i < s.size()) {  // exponent, as printed for JSON numbers such as 1e-05
    ++i;
    bool negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    int exponent = 0;
    if (i == s.size()) return false;
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9' || exponent > 100) return false;
      exponent = exponent * 10 + (s[i] - '0');
    }
    frac_digits += negative ? exponent : -exponent;
  }
  return frac_digits <= 30 && frac_digits >= -18;
}

}  // namespace

// `allow_exponent` is for numbers printed from JSON doubles ("1e-05ms"); a
// person's time string has no exponent.
static bool parse_time(std::string_view text, bool allow_exponent, Time& out, std::string& why) {
  std::string_view number = text;
  Time unit = kMillisecond;  // a bare number means milliseconds, as in JSON
  struct Suffix {
    std::string_view name;
    Time scale;
  };
  static constexpr Suffix kSuffixes[] = {
      {"us", kMicrosecond}, {"ms", kMillisecond}, {"s", kSecond}, {"m", kMinute}};
  for (const Suffix& suffix : kSuffixes) {
    if (text.size() > suffix.name.size() &&
        text.substr(text.size() - suffix.name.size()) == suffix.name) {
      // "ms" also ends in "s": the longer suffixes come first in the table.
      number = text.substr(0, text.size() - suffix.name.size());
      unit = suffix.scale;
      break;
    }
  }
  if (!number.empty() && number.front() == '-') {
    why = "a time cannot be negative";
    return false;
  }
  std::int64_t mantissa = 0;
  int frac_digits = 0;
  const bool has_exponent = number.find_first_of("eE") != std::string_view::npos;
  if ((has_exponent && !allow_exponent) || !parse_decimal(number, mantissa, frac_digits)) {
    why = "expected a time such as \"150ms\" (units us, ms, s, m)";
    return false;
  }
  // value = mantissa / 10^frac_digits * unit must be a whole microsecond.
  Int128 scaled = static_cast<Int128>(mantissa) * unit;
  for (int i = 0; i > frac_digits; --i) {
    if (scaled > static_cast<Int128>(kNever)) break;  // too large either way; reported below
    scaled *= 10;
  }
  Int128 divisor = 1;
  for (int i = 0; i < frac_digits; ++i) divisor *= 10;
  if (scaled % divisor != 0) {
    why = "not a whole number of microseconds";
    return false;
  }
  Int128 micros = scaled / divisor;
  if (micros > static_cast<Int128>(kNever / 2)) {
    why = "time too large";
    return false;
  }
  out = static_cast<Time>(micros);
  return true;
}

bool parse_time_text(std::string_view text, Time& out, std::string& why) {
  return parse_time(text, /*allow_exponent=*/false, out, why);
}

bool time_from_milliseconds(double ms, Time& out, std::string& why) {
  if (!std::isfinite(ms)) {
    why = "expected a finite time";
    return false;
  }
  if (ms < 0) {
    why = "a time cannot be negative";
    return false;
  }
  if (ms > 1e15) {
    why = "time too large";
    return false;
  }
  // The shortest decimal that reads back as `ms` (what the file most likely
  // said), parsed exactly: 0.001 is 1us, 0.0005 is not a whole microsecond.
  return parse_time(fmt::format("{}ms", ms), /*allow_exponent=*/true, out, why);
}

std::string format_time(Time t) {
  char buf[48];
  const char* sign = t < 0 ? "-" : "";
  const std::uint64_t a =
      t < 0 ? static_cast<std::uint64_t>(-(t + 1)) + 1 : static_cast<std::uint64_t>(t);
  auto fmt = [&](std::uint64_t scale, const char* unit) {
    const std::uint64_t whole = a / scale, frac = a % scale;
    if (frac == 0) {
      std::snprintf(buf, sizeof buf, "%s%llu%s", sign, static_cast<unsigned long long>(whole),
                    unit);
    } else {
      int digits = 0;
      for (std::uint64_t s = scale; s > 1; s /= 10) ++digits;
      std::uint64_t f = frac;
      while (f % 10 == 0) {
        f /= 10;
        --digits;
      }
      std::snprintf(buf, sizeof buf, "%s%llu.%0*llu%s", sign,
                    static_cast<unsigned long long>(whole), digits,
                    static_cast<unsigned long long>(f), unit);
    }
  };
  if (a >= static_cast<std::uint64_t>(kSecond))
    fmt(kSecond, "s");
  else if (a >= static_cast<std::uint64_t>(kMillisecond))
    fmt(kMillisecond, "ms");
  else
    fmt(1, "us");
  return buf;
}

}  // namespace electsim
