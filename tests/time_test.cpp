// Virtual time (sim/time.hpp): the scenario format's units, the rule that a
// time is a whole number of microseconds, and the printed form that people
// read and paste back (DESIGN.md, Scenario file: "Times are numbers of
// milliseconds or strings with a unit").
#include "sim/time.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "sim/errors.hpp"
#include "sim/json_input.hpp"
#include "sim/random.hpp"

using namespace electsim;

namespace {

// The parsed time, or -1 if parse_time_text rejects the text.
Time parsed(const std::string& text) {
  Time t = -7;
  std::string why;
  if (!parse_time_text(text, t, why)) return -1;
  return t;
}

std::string rejection(const std::string& text) {
  Time t = 0;
  std::string why;
  if (parse_time_text(text, t, why)) return "(accepted)";
  return why;
}

Time from_ms(double ms) {
  Time t = -7;
  std::string why;
  if (!time_from_milliseconds(ms, t, why)) return -1;
  return t;
}

}  // namespace

TEST_CASE("time strings with each unit", "[time]") {
  CHECK(parsed("150ms") == 150 * kMillisecond);
  CHECK(parsed("1.5s") == 1'500'000);
  CHECK(parsed("20us") == 20);
  CHECK(parsed("2m") == 2 * kMinute);
  CHECK(parsed("1.5m") == 90 * kSecond);
  CHECK(parsed("0us") == 0);
  CHECK(parsed("0.1s") == 100'000);  // exact decimal, no binary rounding
  CHECK(parsed("0.001ms") == 1);
  CHECK(parsed("1.000001s") == 1'000'001);
  CHECK(parsed("30s") == 30 * kSecond);
  CHECK(parsed("007ms") == 7000);
}

TEST_CASE("a plain number in a time string means milliseconds", "[time]") {
  CHECK(parsed("150") == 150'000);
  CHECK(parsed("0.25") == 250);
  CHECK(parsed("0.5") == 500);
  CHECK(parsed("0") == 0);
}

TEST_CASE("a time that is not a whole number of microseconds is rejected", "[time]") {
  CHECK(parsed("0.0001ms") == -1);
  CHECK(parsed("0.5us") == -1);
  CHECK(parsed("1.0000001s") == -1);
  CHECK(parsed("0.0001") == -1);
  CHECK(rejection("0.0001ms") == "not a whole number of microseconds");
  // Trailing zeros past the microsecond are still whole.
  CHECK(parsed("1.50000000s") == 1'500'000);
  CHECK(parsed("2.000us") == 2);
}

TEST_CASE("negative times are rejected", "[time]") {
  CHECK(parsed("-5ms") == -1);
  CHECK(parsed("-1") == -1);
  CHECK(parsed("-0.5s") == -1);
  CHECK(rejection("-5ms") == "a time cannot be negative");
}

TEST_CASE("garbage is not a time", "[time]") {
  for (const char* text :
       {"",     "ms",    "s",      "abc",    "ten",  "10 ms",  " 10ms", "10ms ", "10h",  "10d",
        "10MS", "1e3ms", "1.2.3s", "10msms", "+5ms", "0x10ms", "10u",   "5sec",  "1,5s", "."}) {
    INFO("text \"" << text << "\"");
    CHECK(parsed(text) == -1);
  }
  CHECK(rejection("ten").find("expected a time") != std::string::npos);
}

TEST_CASE("times too large to hold are rejected, not wrapped", "[time]") {
  CHECK(parsed("99999999999999999999s") == -1);
  CHECK(parsed("9223372036854775807m") == -1);
  CHECK(parsed("100000000000m") == -1);  // 6e18 us: past kNever / 2
}

TEST_CASE("JSON numbers are milliseconds", "[time]") {
  CHECK(from_ms(150) == 150'000);
  CHECK(from_ms(0.5) == 500);
  CHECK(from_ms(0.001) == 1);
  CHECK(from_ms(0.1) == 100);
  CHECK(from_ms(1.5) == 1500);
  CHECK(from_ms(0) == 0);
  CHECK(from_ms(0.0001) == -1);
  CHECK(from_ms(0.0015) == -1);
  CHECK(from_ms(-1) == -1);
  CHECK(from_ms(-0.5) == -1);
  CHECK(from_ms(1e300) == -1);
  CHECK(from_ms(std::numeric_limits<double>::infinity()) == -1);
  CHECK(from_ms(std::numeric_limits<double>::quiet_NaN()) == -1);
}

// A double's rounding error is about 2e-16 relative: a tolerance that grows
// with the value (it once was 1e-9 * |us|) would accept 1000000.0004 ms,
// which is 1000 s and 0.4 us.
TEST_CASE("large JSON numbers that are not whole microseconds are rejected", "[time]") {
  CHECK(from_ms(1000000.0004) == -1);     // 1000 s + 0.4 us
  CHECK(from_ms(1000000000.0004) == -1);  // 11.6 days + 0.4 us
  CHECK(from_ms(12345678.9005) == -1);    // 12345.6789005 s
}

TEST_CASE("read_time takes strings and numbers and names the field on error", "[time]") {
  using nlohmann::json;
  CHECK(input::read_time(json(0.5), "/x") == 500);
  CHECK(input::read_time(json(150), "/x") == 150'000);
  CHECK(input::read_time(json("1.5s"), "/x") == 1'500'000);
  for (const json& bad : {json("0.0001ms"), json(-1), json("-1ms"), json("ten"), json(true),
                          json(nullptr), json::array({1}), json(0.0001)}) {
    INFO("value " << bad.dump());
    try {
      input::read_time(bad, "/faults/2/at");
      FAIL("accepted");
    } catch (const InputError& e) {
      CHECK(e.pointer() == "/faults/2/at");
    }
  }
  // The bounds given by the caller are enforced.
  CHECK_THROWS_AS(input::read_time(json("0ms"), "/x", 1), InputError);
  CHECK_THROWS_AS(input::read_time(json("31s"), "/x", 0, 30 * kSecond), InputError);
  CHECK(input::read_time(json("30s"), "/x", 0, 30 * kSecond) == 30 * kSecond);
}

TEST_CASE("format_time prints the shortest exact form", "[time]") {
  CHECK(format_time(0) == "0us");
  CHECK(format_time(20) == "20us");
  CHECK(format_time(999) == "999us");
  CHECK(format_time(1000) == "1ms");
  CHECK(format_time(150'000) == "150ms");
  CHECK(format_time(1500) == "1.5ms");
  CHECK(format_time(1'500'000) == "1.5s");
  CHECK(format_time(1'000'001) == "1.000001s");
  CHECK(format_time(2 * kMinute) == "120s");
  CHECK(format_time(-1500) == "-1.5ms");
}

TEST_CASE("format_time round trips through parse_time_text", "[time]") {
  std::vector<Time> values = {0,         1,         9,         10,        999,
                              1000,      1001,      1010,      1100,      999'999,
                              1'000'000, 1'000'001, 1'234'567, 30 * kDay, kNever / 2};
  Rng rng(7);
  for (int i = 0; i < 2000; ++i) {
    // Values of every magnitude, many with trailing zeros.
    const int digits = static_cast<int>(rng.below(16));  // 999e15 us stays below kNever / 2
    Time scale = 1;
    for (int d = 0; d < digits; ++d) scale *= 10;
    values.push_back(static_cast<Time>(rng.below(1000)) * scale);
    values.push_back(static_cast<Time>(rng.below(static_cast<std::uint64_t>(kNever / 2) + 1)));
  }
  for (Time t : values) {
    INFO("t = " << t << " printed " << format_time(t));
    CHECK(parsed(format_time(t)) == t);
  }
}
