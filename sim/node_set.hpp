// A set of node ids, for vote and acknowledgement tallies. Ids below 64 live
// in one inline word, so clusters of up to 63 nodes never allocate; larger
// clusters spill into a vector of words.
#pragma once

#include <bit>
#include <cstdint>
#include <vector>

#include "sim/node_api.hpp"

namespace electsim {

class NodeSet {
 public:
  // Adds `id`; returns true if it was not there yet.
  bool insert(NodeId id) {
    std::uint64_t& word = word_of(id);
    const std::uint64_t bit = std::uint64_t{1} << (id % 64);
    if (word & bit) return false;
    word |= bit;
    ++size_;
    return true;
  }
  bool contains(NodeId id) const {
    if (id < 64) return (low_ >> id) & 1;
    const std::size_t index = id / 64 - 1;
    return index < high_.size() && ((high_[index] >> (id % 64)) & 1);
  }
  std::uint32_t size() const { return size_; }
  void clear() {
    low_ = 0;
    high_.clear();
    size_ = 0;
  }
  bool operator==(const NodeSet&) const = default;

 private:
  std::uint64_t& word_of(NodeId id) {
    if (id < 64) return low_;
    const std::size_t index = id / 64 - 1;
    if (index >= high_.size()) high_.resize(index + 1, 0);
    return high_[index];
  }
  std::uint64_t low_ = 0;
  std::vector<std::uint64_t> high_;
  std::uint32_t size_ = 0;
};

}  // namespace electsim
