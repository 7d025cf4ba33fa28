// Many seeds on a pool of threads; see seed_runner.hpp.
#include "cli/seed_runner.hpp"

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

#include "cli/runner.hpp"
#include "sim/errors.hpp"

namespace electsim {

namespace {
std::atomic<bool> g_interrupted{false};
extern "C" void on_interrupt(int) {
  g_interrupted.store(true);
}
}  // namespace

InterruptGuard::InterruptGuard() {
  g_interrupted = false;
  previous_int_ = std::signal(SIGINT, on_interrupt);
  previous_term_ = std::signal(SIGTERM, on_interrupt);
}

InterruptGuard::~InterruptGuard() {
  std::signal(SIGINT, previous_int_);
  std::signal(SIGTERM, previous_term_);
}

bool InterruptGuard::interrupted() {
  return g_interrupted.load();
}

Progress::Progress(std::size_t total)
    : total_(total), enabled_(::isatty(2) != 0), start_(Clock::now()) {}

void Progress::update(std::size_t done, std::size_t failed) {
  if (!enabled_) return;
  const auto now = Clock::now();
  if (done != total_ && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
  const double left = rate > 0 ? static_cast<double>(total_ - done) / rate : 0;
  const int width = 30;
  const int filled = total_ ? static_cast<int>(width * done / total_) : width;
  std::fprintf(stderr, "\r[%-*s] %zu/%zu runs, %.0f/s, %.0fs left, %zu failed ", width,
               std::string(static_cast<std::size_t>(filled), '=').c_str(), done, total_, rate, left,
               failed);
  if (done == total_) std::fputc('\n', stderr);
  std::fflush(stderr);
}

std::size_t run_seeds(const SeedJob& job, const std::function<void(nlohmann::json&&)>& consume) {
  std::mutex mutex;
  std::condition_variable ready;
  std::map<std::size_t, nlohmann::json> finished;  // by position in job.seeds
  std::atomic<std::size_t> next{0};
  std::size_t running = job.jobs;
  auto worker = [&]() {
    for (;;) {
      if (g_interrupted.load()) break;
      const std::size_t index = next.fetch_add(1);
      if (index >= job.seeds.size()) break;
      Scenario scenario = *job.scenario;
      scenario.seed = job.seeds[index];
      nlohmann::json result;
      try {
        result = run_scenario(RunRequest{&scenario, job.algorithm, nullptr, job.overrides});
      } catch (const InternalError& e) {
        // A bug: recorded as a failure with check "internal"; the sweep goes on.
        Overrides with_seed = job.overrides;
        with_seed.seed = scenario.seed;
        if (!job.algorithm.empty()) with_seed.algorithm = job.algorithm;
        result = {{"seed", scenario.seed},
                  {"error", e.what()},
                  {"reproduce", reproduce_command(scenario.file, with_seed)}};
      }
      std::lock_guard lock(mutex);
      finished.emplace(index, std::move(result));
      ready.notify_one();
    }
    std::lock_guard lock(mutex);
    --running;
    ready.notify_one();
  };
  std::vector<std::thread> threads;
  for (unsigned i = 0; i < job.jobs; ++i) threads.emplace_back(worker);

  std::size_t consumed = 0;
  {
    std::unique_lock lock(mutex);
    for (;;) {
      ready.wait(lock, [&] { return finished.count(consumed) || running == 0; });
      while (finished.count(consumed)) {
        nlohmann::json result = std::move(finished[consumed]);
        finished.erase(consumed);
        ++consumed;
        lock.unlock();
        consume(std::move(result));
        lock.lock();
      }
      if (running == 0 && !finished.count(consumed)) break;
    }
  }
  for (std::thread& thread : threads) thread.join();
  return consumed;
}

}  // namespace electsim
