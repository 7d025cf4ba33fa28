// The event queue: a binary heap ordered by (time, insertion order), so that
// events at the same microsecond run first in, first out (as in
// FoundationDB's sim2). Events are stored by value; no allocation per event
// once the heap has grown to its working size.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/time.hpp"

namespace electsim {

template <class Payload>
class EventQueue {
 public:
  struct Entry {
    Time t;
    std::uint64_t seq;
    Payload payload;
  };

  void push(Time t, const Payload& payload) {
    heap_.push_back(Entry{t, next_seq_++, payload});
    std::push_heap(heap_.begin(), heap_.end(), later);
  }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  const Entry& top() const { return heap_.front(); }
  Entry pop() {
    std::pop_heap(heap_.begin(), heap_.end(), later);
    Entry entry = heap_.back();
    heap_.pop_back();
    return entry;
  }

 private:
  static bool later(const Entry& a, const Entry& b) {
    return a.t > b.t || (a.t == b.t && a.seq > b.seq);
  }
  std::vector<Entry> heap_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace electsim
