// The PRNG, det_log/det_exp and the delay distributions (sim/random.hpp,
// sim/distribution.hpp). Determinism rests on these (DESIGN.md, Determinism):
// the first outputs are pinned as literals, so a change that moves any trace
// hash shows up here first, with a name.
#include "sim/random.hpp"

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <set>
#include <vector>

#include "sim/distribution.hpp"

using namespace electsim;

namespace {

// xoshiro256** 1.0 written out from Blackman and Vigna's reference C code, with
// a state we can set, to check Rng against the published algorithm.
struct ReferenceXoshiro {
  std::uint64_t s[4];
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s[1] * 5, 7) * 9;
    const std::uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
  }
};

bool close_relative(double actual, double expected, double tolerance) {
  if (expected == 0) return actual == 0;
  return std::fabs(actual - expected) <= tolerance * std::fabs(expected);
}

struct Sample {
  double mean = 0, stddev = 0;
  Time min = kNever, max = -1;
  std::size_t count = 0, zeros = 0, at_cap = 0;
};

Sample draw_many(const DelaySpec& spec, std::uint64_t seed, std::size_t n = 100'000) {
  SplitMix64 gen{seed};
  Sample s;
  double sum = 0, sum_sq = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const Time d = draw_delay(spec, gen);
    sum += static_cast<double>(d);
    sum_sq += static_cast<double>(d) * static_cast<double>(d);
    s.min = std::min(s.min, d);
    s.max = std::max(s.max, d);
    s.zeros += d == 0;
    s.at_cap += d == kMaxDelay;
  }
  s.count = n;
  s.mean = sum / static_cast<double>(n);
  s.stddev = std::sqrt(std::max(0.0, sum_sq / static_cast<double>(n) - s.mean * s.mean));
  return s;
}

// The sample mean is within `sigmas` standard errors of `expected`.
void check_mean(const Sample& s, double expected, double sigmas = 5) {
  const double standard_error = s.stddev / std::sqrt(static_cast<double>(s.count));
  INFO("sample mean " << s.mean << ", expected " << expected << ", standard error "
                      << standard_error);
  CHECK(std::fabs(s.mean - expected) <= sigmas * standard_error + 1.0);
}

DelaySpec spec_of(DelaySpec::Kind kind, Time a, Time b, double shape = 0) {
  return DelaySpec{kind, a, b, shape};
}

}  // namespace

TEST_CASE("SplitMix64 gives the published reference outputs", "[random]") {
  // Vigna's splitmix64.c with state 0; and seed 1234567, the widely used
  // test vector (e.g. Rosetta Code's SplitMix64 task), in decimal.
  SplitMix64 zero{0};
  CHECK(zero.next() == 0xe220a8397b1dcdafULL);
  CHECK(zero.next() == 0x6e789e6aa1b965f4ULL);
  CHECK(zero.next() == 0x06c45d188009454fULL);
  CHECK(zero.next() == 0xf88bb8a8724c81ecULL);
  CHECK(zero.next() == 0x1b39896a51a8749bULL);
  SplitMix64 vector{1234567};
  CHECK(vector.next() == 6457827717110365317ULL);
  CHECK(vector.next() == 3203168211198807973ULL);
  CHECK(vector.next() == 9817491932198370423ULL);
  CHECK(vector.next() == 4593380528125082431ULL);
  CHECK(vector.next() == 16408922859458223821ULL);
}

TEST_CASE("SplitMix64 sequences for seeds 1 and 42 are pinned", "[random]") {
  const std::array<std::uint64_t, 5> one = {0x910a2dec89025cc1ULL, 0xbeeb8da1658eec67ULL,
                                            0xf893a2eefb32555eULL, 0x71c18690ee42c90bULL,
                                            0x71bb54d8d101b5b9ULL};
  const std::array<std::uint64_t, 5> forty_two = {0xbdd732262feb6e95ULL, 0x28efe333b266f103ULL,
                                                  0x47526757130f9f52ULL, 0x581ce1ff0e4ae394ULL,
                                                  0x09bc585a244823f2ULL};
  SplitMix64 a{1}, b{42};
  for (std::size_t i = 0; i < 5; ++i) {
    CHECK(a.next() == one[i]);
    CHECK(b.next() == forty_two[i]);
  }
  // mix64 is SplitMix64's finalizer: next() == mix64(state + golden gamma).
  CHECK(mix64(0x9e3779b97f4a7c15ULL) == 0xe220a8397b1dcdafULL);
}

TEST_CASE("the reference xoshiro256** gives the published outputs for state {1, 2, 3, 4}",
          "[random]") {
  // Hand-checkable: result = rotl(s1 * 5, 7) * 9 = rotl(10, 7) * 9 = 11520;
  // after one step s1 = 0, so the second output is 0.
  ReferenceXoshiro x{{1, 2, 3, 4}};
  CHECK(x.next() == 11520);
  CHECK(x.next() == 0);
  CHECK(x.next() == 1509978240);
  CHECK(x.next() == 1215971899390074240ULL);
}

TEST_CASE("Rng is xoshiro256** seeded with four SplitMix64 words", "[random]") {
  for (std::uint64_t seed : {0ULL, 1ULL, 42ULL, 1234567ULL, ~0ULL}) {
    SplitMix64 sm{seed};
    ReferenceXoshiro reference{{sm.next(), sm.next(), sm.next(), sm.next()}};
    Rng rng(seed);
    for (int i = 0; i < 1000; ++i) REQUIRE(rng.next() == reference.next());
  }
}

TEST_CASE("Rng sequences for seeds 0, 1 and 42 are pinned", "[random]") {
  const std::array<std::uint64_t, 5> zero = {0x99ec5f36cb75f2b4ULL, 0xbf6e1f784956452aULL,
                                             0x1a5f849d4933e6e0ULL, 0x6aa594f1262d2d2cULL,
                                             0xbba5ad4a1f842e59ULL};
  const std::array<std::uint64_t, 5> one = {0xb3f2af6d0fc710c5ULL, 0x853b559647364ceaULL,
                                            0x92f89756082a4514ULL, 0x642e1c7bc266a3a7ULL,
                                            0xb27a48e29a233673ULL};
  const std::array<std::uint64_t, 5> forty_two = {0x15780b2e0c2ec716ULL, 0x6104d9866d113a7eULL,
                                                  0xae17533239e499a1ULL, 0xecb8ad4703b360a1ULL,
                                                  0xfde6dc7fe2ec5e64ULL};
  Rng a(0), b(1), c(42);
  for (std::size_t i = 0; i < 5; ++i) {
    CHECK(a.next() == zero[i]);
    CHECK(b.next() == one[i]);
    CHECK(c.next() == forty_two[i]);
  }
  // reseed starts the sequence again; copies advance independently.
  Rng d(5);
  d.next();
  d.reseed(0);
  CHECK(d.next() == zero[0]);
  Rng e = d;
  CHECK(e == d);
  CHECK(e.next() == d.next());
  e.next();
  CHECK_FALSE(e == d);
}

TEST_CASE("stream seeds are pinned and give independent streams", "[random]") {
  // Fixed forever (random.hpp): a change here moves every trace hash.
  const std::uint64_t link_1_2 = stream_seed(1, kStreamLink, std::uint64_t{1} << 32 | 2);
  CHECK(link_1_2 == stream_seed(1, kStreamLink, std::uint64_t{1} << 32 | 2));
  std::set<std::uint64_t> seeds;
  std::set<std::uint64_t> first_outputs;
  std::size_t made = 0;
  for (std::uint64_t run_seed : {0ULL, 1ULL, 2ULL, 1000ULL})
    for (std::uint64_t kind : {kStreamNode, kStreamLink, kStreamFault, kStreamNemesis})
      for (std::uint64_t index = 0; index < 64; ++index) {
        const std::uint64_t s = stream_seed(run_seed, kind, index);
        seeds.insert(s);
        first_outputs.insert(Rng(s).next());
        ++made;
      }
  CHECK(seeds.size() == made);
  CHECK(first_outputs.size() == made);
  // Neighbouring indexes and kinds do not give overlapping sequences.
  Rng node1(stream_seed(1, kStreamNode, 1)), node2(stream_seed(1, kStreamNode, 2));
  std::set<std::uint64_t> outputs;
  for (int i = 0; i < 1000; ++i) {
    outputs.insert(node1.next());
    outputs.insert(node2.next());
  }
  CHECK(outputs.size() == 2000);
}

TEST_CASE("stream_seed values are pinned", "[random]") {
  CHECK(stream_seed(1, kStreamNode, 1) == stream_seed(1, kStreamNode, 1));
  // Computed once from the current definition; must never change.
  CHECK(stream_seed(0, 0, 0) == mix64(mix64(0 ^ mix64(0x632be59bd9b4e019ULL))));
  CHECK(stream_seed(1, kStreamLink, std::uint64_t{1} << 32 | 2) ==
        mix64(mix64(1 ^ mix64(2 + 0x632be59bd9b4e019ULL)) +
              (std::uint64_t{1} << 32 | 2) * 0x9e3779b97f4a7c15ULL));
}

TEST_CASE("det_log matches std::log within 1e-14 relative", "[random]") {
  std::vector<double> points;
  for (double x = 1e-300; x < 1e300; x *= 1.37) points.push_back(x);
  for (int i = 1; i < 2000; ++i) points.push_back(i / 2000.0);      // (0, 1): what 1 - u gives
  for (int i = 1; i < 2000; ++i) points.push_back(1.0 + i * 1e-3);  // just above 1
  for (int i = 1; i < 200; ++i) points.push_back(1.0 - i * 1e-12);  // just below 1
  for (int i = 1; i < 200; ++i) points.push_back(1.0 + i * 1e-12);
  for (double x :
       {0.5, 2.0, 0.70710678118654752440, 1.4142135623730951, 1e-5, 123456.789, 1.0 / 3,
        std::numeric_limits<double>::min(), std::numeric_limits<double>::max(), 0x1.0p-53})
    points.push_back(x);
  Rng rng(3);
  for (int i = 0; i < 20000; ++i) points.push_back(1.0 - rng.uniform01());  // (0, 1]
  for (double x : points) {
    INFO("x = " << x << ", det_log " << det_log(x) << ", std::log " << std::log(x));
    REQUIRE(close_relative(det_log(x), std::log(x), 1e-14));
  }
  CHECK(det_log(1.0) == 0.0);
  CHECK(det_log(0.0) == -HUGE_VAL);
  CHECK(std::isnan(det_log(-1.0)));
  CHECK(std::isinf(det_log(HUGE_VAL)));
}

TEST_CASE("det_exp matches std::exp within 1e-14 relative", "[random]") {
  std::vector<double> points;
  for (double x = -700; x <= 700; x += 0.173) points.push_back(x);
  for (int i = -2000; i <= 2000; ++i) points.push_back(i * 1e-3);
  for (double x :
       {0.0, 1.0, -1.0, 0.6931471805599453, -0.6931471805599453, 1e-10, -1e-10, 709.0, 1e-300})
    points.push_back(x);
  Rng rng(4);
  for (int i = 0; i < 20000; ++i) points.push_back(20.0 * rng.normal());
  for (double x : points) {
    INFO("x = " << x << ", det_exp " << det_exp(x) << ", std::exp " << std::exp(x));
    REQUIRE(close_relative(det_exp(x), std::exp(x), 1e-14));
  }
  CHECK(det_exp(0.0) == 1.0);
  CHECK(det_exp(710.0) == HUGE_VAL);
  CHECK(det_exp(-800.0) == 0.0);
  CHECK(std::isnan(det_exp(NAN)));
}

TEST_CASE("Rng::uniform01 is at least 0, below 1, with mean 1/2", "[random]") {
  Rng rng(11);
  double sum = 0;
  for (int i = 0; i < 100'000; ++i) {
    const double u = rng.uniform01();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    sum += u;
  }
  CHECK(std::fabs(sum / 100'000 - 0.5) < 5 * 0.2887 / std::sqrt(100'000.0));
  CHECK(uniform01_from(0) == 0.0);
  CHECK(uniform01_from(~0ULL) < 1.0);
}

TEST_CASE("Rng::below is in range and unbiased", "[random]") {
  Rng rng(5);
  SECTION("small bounds: every value about equally often (chi-square)") {
    for (std::uint64_t bound : {2ULL, 3ULL, 7ULL, 10ULL}) {
      std::vector<double> counts(bound, 0);
      const int n = 100'000;
      for (int i = 0; i < n; ++i) {
        const std::uint64_t x = rng.below(bound);
        REQUIRE(x < bound);
        counts[x] += 1;
      }
      const double expected = static_cast<double>(n) / static_cast<double>(bound);
      double chi_square = 0;
      for (double c : counts) chi_square += (c - expected) * (c - expected) / expected;
      // 99.99th percentile of chi-square with at most 9 degrees of freedom is about 33.7.
      INFO("bound " << bound << ", chi-square " << chi_square);
      CHECK(chi_square < 33.7);
    }
  }
  SECTION("bound 1 is always 0") {
    for (int i = 0; i < 100; ++i) CHECK(rng.below(1) == 0);
  }
  SECTION("a bound of 3 * 2^62, where x mod bound would put half the draws below 2^62") {
    const std::uint64_t bound = 3 * (std::uint64_t{1} << 62);
    int low = 0;
    const int n = 30'000;
    for (int i = 0; i < n; ++i) {
      const std::uint64_t x = rng.below(bound);
      REQUIRE(x < bound);
      low += x < (std::uint64_t{1} << 62);
    }
    // Uniform: a third below 2^62 (5 standard deviations is about 410).
    CHECK(std::abs(low - n / 3) < 500);
  }
  SECTION("between covers both ends") {
    std::set<std::int64_t> seen;
    for (int i = 0; i < 1000; ++i) {
      const std::int64_t x = rng.between(-2, 2);
      REQUIRE(x >= -2);
      REQUIRE(x <= 2);
      seen.insert(x);
    }
    CHECK(seen.size() == 5);
    CHECK(rng.between(7, 7) == 7);
  }
}

TEST_CASE("Rng::normal has mean 0 and variance 1", "[random]") {
  Rng rng(8);
  double sum = 0, sum_sq = 0;
  const int n = 100'000;
  for (int i = 0; i < n; ++i) {
    const double z = rng.normal();
    sum += z;
    sum_sq += z * z;
  }
  CHECK(std::fabs(sum / n) < 5 / std::sqrt(static_cast<double>(n)));
  CHECK(std::fabs(sum_sq / n - 1.0) < 0.03);
}

TEST_CASE("constant delay is its value", "[random]") {
  const Sample s = draw_many(spec_of(DelaySpec::Kind::constant, 7 * kMillisecond, 0), 1, 1000);
  CHECK(s.min == 7000);
  CHECK(s.max == 7000);
  CHECK(draw_many(spec_of(DelaySpec::Kind::constant, 0, 0), 1, 10).max == 0);
}

TEST_CASE("uniform delay stays between min and max with mean (min + max) / 2", "[random]") {
  const Sample s =
      draw_many(spec_of(DelaySpec::Kind::uniform, 1 * kMillisecond, 10 * kMillisecond), 2);
  CHECK(s.min >= 1000);
  CHECK(s.max <= 10'000);
  CHECK(s.min < 1100);  // both ends are reached
  CHECK(s.max > 9900);
  check_mean(s, 5500.0 - 0.5);  // floored to whole microseconds
  const Sample equal = draw_many(spec_of(DelaySpec::Kind::uniform, 3000, 3000), 2, 100);
  CHECK(equal.min == 3000);
  CHECK(equal.max == 3000);
  const Sample narrow = draw_many(spec_of(DelaySpec::Kind::uniform, 5, 6), 2, 10'000);
  CHECK(narrow.min == 5);
  CHECK(narrow.max <= 6);
}

TEST_CASE("normal delay has its mean and is truncated at 0", "[random]") {
  const Sample s =
      draw_many(spec_of(DelaySpec::Kind::normal, 10 * kMillisecond, 2 * kMillisecond), 3);
  check_mean(s, 10'000.0 - 0.5);
  CHECK(std::fabs(s.stddev - 2000.0) < 40);
  CHECK(s.min >= 0);
  // Mean 0: half the draws are truncated to 0, and E[max(0, X)] = sigma / sqrt(2 pi).
  const Sample half = draw_many(spec_of(DelaySpec::Kind::normal, 0, 1 * kMillisecond), 4);
  CHECK(half.min == 0);
  CHECK(std::fabs(static_cast<double>(half.zeros) / half.count - 0.5) < 0.01);
  check_mean(half, 1000.0 / std::sqrt(2 * M_PI) - 0.25);
  // Stddev 0: always the mean.
  const Sample fixed = draw_many(spec_of(DelaySpec::Kind::normal, 4000, 0), 5, 100);
  CHECK(fixed.min == 4000);
  CHECK(fixed.max == 4000);
}

TEST_CASE("exponential delay has mean + min and never goes below min", "[random]") {
  const Sample s =
      draw_many(spec_of(DelaySpec::Kind::exponential, 5 * kMillisecond, 1 * kMillisecond), 6);
  CHECK(s.min >= 1000);
  CHECK(s.min < 1010);
  check_mean(s, 6000.0 - 0.5);
  CHECK(std::fabs(s.stddev - 5000.0) < 150);
  const Sample no_min = draw_many(spec_of(DelaySpec::Kind::exponential, 2 * kMillisecond, 0), 7);
  CHECK(no_min.min >= 0);
  check_mean(no_min, 2000.0 - 0.5);
}

TEST_CASE("lognormal delay has mean median * exp(sigma^2 / 2)", "[random]") {
  const Sample s = draw_many(spec_of(DelaySpec::Kind::lognormal, 10 * kMillisecond, 0, 0.5), 8);
  CHECK(s.min > 0);
  check_mean(s, 10'000.0 * std::exp(0.125) - 0.5);
  // sigma 0: always the median.
  const Sample fixed = draw_many(spec_of(DelaySpec::Kind::lognormal, 3000, 0, 0.0), 9, 100);
  CHECK(fixed.min == 3000);
  CHECK(fixed.max == 3000);
}

TEST_CASE("pareto delay has mean shape * scale / (shape - 1) and never goes below scale",
          "[random]") {
  const Sample s = draw_many(spec_of(DelaySpec::Kind::pareto, 2 * kMillisecond, 0, 3.0), 10);
  CHECK(s.min >= 2000);
  CHECK(s.min < 2010);
  check_mean(s, 3.0 * 2000 / 2.0 - 0.5, 6);
}

TEST_CASE("heavy-tailed delays are capped at one day", "[random]") {
  const Sample pareto = draw_many(spec_of(DelaySpec::Kind::pareto, 1 * kSecond, 0, 0.01), 11);
  CHECK(pareto.max == kMaxDelay);
  CHECK(pareto.at_cap > 0);
  CHECK(pareto.min >= 1 * kSecond);
  const Sample lognormal = draw_many(spec_of(DelaySpec::Kind::lognormal, 1 * kSecond, 0, 10.0), 12);
  CHECK(lognormal.max == kMaxDelay);
  CHECK(lognormal.min >= 0);
  CHECK(kMaxDelay == kDay);
  CHECK(clamp_delay(1e300) == kDay);
  CHECK(clamp_delay(-5.0) == 0);
  CHECK(clamp_delay(NAN) == 0);
  CHECK(clamp_delay(12.9) == 12);
}

TEST_CASE("delay draws are deterministic for a seed", "[random]") {
  for (auto kind : {DelaySpec::Kind::uniform, DelaySpec::Kind::normal, DelaySpec::Kind::exponential,
                    DelaySpec::Kind::lognormal, DelaySpec::Kind::pareto}) {
    const DelaySpec spec = spec_of(kind, 5000, 1000, 1.5);
    SplitMix64 a{99}, b{99};
    for (int i = 0; i < 1000; ++i) REQUIRE(draw_delay(spec, a) == draw_delay(spec, b));
  }
  // Pinned: the first uniform[1ms, 10ms] draws of the link stream 1 -> 2 for seed 1.
  SplitMix64 link{stream_seed(1, kStreamLink, std::uint64_t{1} << 32 | 2)};
  const DelaySpec uniform = spec_of(DelaySpec::Kind::uniform, 1000, 10'000);
  std::vector<Time> first;
  for (int i = 0; i < 3; ++i) first.push_back(draw_delay(uniform, link));
  SplitMix64 again{stream_seed(1, kStreamLink, std::uint64_t{1} << 32 | 2)};
  for (int i = 0; i < 3; ++i)
    CHECK(first[static_cast<std::size_t>(i)] ==
          static_cast<Time>(1000.0 + uniform01_from(again.next()) * 9000.0));
}
