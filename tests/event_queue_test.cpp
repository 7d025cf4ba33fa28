// The event queue (sim/event_queue.hpp): events run in time order, and events
// at the same microsecond run first in, first out (DESIGN.md, Determinism:
// "ties in the event queue broken by insertion order").
#include "sim/event_queue.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <vector>

#include "sim/random.hpp"

using namespace electsim;

TEST_CASE("events pop in time order", "[engine]") {
  EventQueue<int> queue;
  CHECK(queue.empty());
  queue.push(30, 3);
  queue.push(10, 1);
  queue.push(20, 2);
  queue.push(0, 0);
  CHECK(queue.size() == 4);
  CHECK(queue.top().t == 0);
  for (int expected = 0; expected < 4; ++expected) {
    const auto entry = queue.pop();
    CHECK(entry.payload == expected);
    CHECK(entry.t == expected * 10);
  }
  CHECK(queue.empty());
}

TEST_CASE("events at the same time pop in insertion order", "[engine]") {
  EventQueue<int> queue;
  for (int i = 0; i < 100; ++i) queue.push(5, i);
  queue.push(4, -1);
  for (int i = 100; i < 200; ++i) queue.push(5, i);
  CHECK(queue.pop().payload == -1);
  for (int i = 0; i < 200; ++i) REQUIRE(queue.pop().payload == i);
}

TEST_CASE("insertion order holds across interleaved pushes and pops", "[engine]") {
  // As in a run: handling an event at t pushes more events at t, which must
  // run after those already queued for t.
  EventQueue<int> queue;
  queue.push(10, 1);
  queue.push(10, 2);
  CHECK(queue.pop().payload == 1);
  queue.push(10, 3);
  queue.push(9, 0);  // earlier time still comes first
  CHECK(queue.pop().payload == 0);
  CHECK(queue.pop().payload == 2);
  CHECK(queue.pop().payload == 3);
  CHECK(queue.empty());
}

TEST_CASE("many random pushes pop sorted by (time, insertion order)", "[engine]") {
  Rng rng(12);
  EventQueue<std::uint64_t> queue;
  std::vector<std::pair<Time, std::uint64_t>> pushed;
  std::vector<std::pair<Time, std::uint64_t>> popped;
  Time now = 0;
  std::uint64_t next = 0;
  for (int round = 0; round < 20'000; ++round) {
    // Mostly pushes at or after now, few distinct times so that ties are common.
    const int pushes = static_cast<int>(rng.below(3));
    for (int i = 0; i < pushes; ++i) {
      const Time t = now + static_cast<Time>(rng.below(5));
      queue.push(t, next);
      pushed.emplace_back(t, next);
      ++next;
    }
    if (!queue.empty() && rng.below(2) == 0) {
      const auto entry = queue.pop();
      REQUIRE(entry.t >= now);  // time never runs backwards
      now = entry.t;
      popped.emplace_back(entry.t, entry.payload);
    }
  }
  while (!queue.empty()) {
    const auto entry = queue.pop();
    REQUIRE(entry.t >= now);
    now = entry.t;
    popped.emplace_back(entry.t, entry.payload);
  }
  REQUIRE(popped.size() == pushed.size());
  // Payloads were numbered in insertion order, so sorted (t, payload) is the
  // required order.
  CHECK(std::is_sorted(popped.begin(), popped.end()));
  std::sort(pushed.begin(), pushed.end());
  CHECK(popped == pushed);
}

TEST_CASE("a queue of only pushes pops fully sorted", "[engine]") {
  Rng rng(13);
  EventQueue<int> queue;
  std::vector<std::pair<Time, int>> expected;
  for (int i = 0; i < 50'000; ++i) {
    const Time t = static_cast<Time>(rng.below(1000));
    queue.push(t, i);
    expected.emplace_back(t, i);
  }
  std::stable_sort(expected.begin(), expected.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [t, payload] : expected) {
    const auto entry = queue.pop();
    REQUIRE(entry.t == t);
    REQUIRE(entry.payload == payload);
  }
  CHECK(queue.empty());
}

TEST_CASE("sequence numbers keep counting after the queue empties", "[engine]") {
  EventQueue<int> queue;
  queue.push(1, 1);
  const auto first = queue.pop();
  queue.push(1, 2);
  const auto second = queue.pop();
  CHECK(second.seq > first.seq);
}
