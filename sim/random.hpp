// The only source of randomness in electsim: xoshiro256** seeded by
// SplitMix64, with distributions and log/exp written here. std::
// distributions and libm differ between standard libraries; these do not, so
// a seed gives the same run on every x86-64 machine (DESIGN.md, Determinism).
#pragma once

#include <cstdint>

#include "sim/time.hpp"

namespace electsim {

// SplitMix64 (Steele, Lea, Flood 2014). Used to seed xoshiro and, on its own,
// as the per-link stream: one 64-bit word of state per directed link.
struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
};

// The SplitMix64 finalizer: a bijective 64-bit mix, used to derive stream
// seeds and for the trace hash.
inline std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Seed of an independent stream: the run seed, a stream kind and an index.
inline std::uint64_t stream_seed(std::uint64_t run_seed, std::uint64_t kind, std::uint64_t index) {
  return mix64(mix64(run_seed ^ mix64(kind + 0x632be59bd9b4e019ULL)) +
               index * 0x9e3779b97f4a7c15ULL);
}

// Stream kinds, fixed forever: changing one changes every trace hash.
enum StreamKind : std::uint64_t {
  kStreamNode = 1,
  kStreamLink = 2,
  kStreamFault = 3,
  kStreamNemesis = 4,
};

// Deterministic natural log and exp (only +, -, *, / and exact scaling, which
// IEEE 754 rounds the same everywhere). Accurate to a few ulp.
double det_log(double x);
double det_exp(double x);

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0) { reseed(seed); }
  void reseed(std::uint64_t seed) {
    SplitMix64 sm{seed};
    for (auto& word : s_) word = sm.next();
  }

  // xoshiro256** 1.0 (Blackman and Vigna 2018).
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, bound), bound > 0, without bias (Lemire 2019).
  std::uint64_t below(std::uint64_t bound);
  // Uniform integer in [lo, hi], lo <= hi.
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }
  // Standard normal, Marsaglia's polar method.
  double normal();

  bool operator==(const Rng&) const = default;

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

// Draws from a generator that only yields raw words (a per-link SplitMix64).
inline double uniform01_from(std::uint64_t word) {
  return static_cast<double>(word >> 11) * 0x1.0p-53;
}

}  // namespace electsim
