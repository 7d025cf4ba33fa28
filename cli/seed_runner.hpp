// Running one scenario over many seeds on a pool of threads, handing each
// result to a consumer in seed order (so what is consumed never depends on
// --jobs), with a progress bar and SIGINT/SIGTERM handling. Shared by `sweep`
// and `compare`.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/scenario.hpp"

namespace electsim {

// Installs SIGINT/SIGTERM handlers that ask running sweeps to stop taking
// seeds; restores the previous handlers when destroyed.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  static bool interrupted();

 private:
  void (*previous_int_)(int);
  void (*previous_term_)(int);
};

// A progress bar with rate and time left, on stderr when it is a terminal.
class Progress {
 public:
  explicit Progress(std::size_t total);
  void update(std::size_t done, std::size_t failed);

 private:
  using Clock = std::chrono::steady_clock;
  std::size_t total_;
  bool enabled_;
  Clock::time_point start_, last_{};
};

struct SeedJob {
  const Scenario* scenario = nullptr;
  std::string algorithm;  // empty: the scenario's
  Overrides overrides;    // as given, for the reproduce commands
  std::vector<std::uint64_t> seeds;
  unsigned jobs = 1;
};

// Runs every seed (until interrupted) and calls `consume` with each result in
// seed order, on the calling thread. A run that hits an internal error gives
// {"seed", "error", "reproduce"} and the sweep goes on. Returns how many runs
// were consumed (a prefix of job.seeds).
std::size_t run_seeds(const SeedJob& job, const std::function<void(nlohmann::json&&)>& consume);

}  // namespace electsim
