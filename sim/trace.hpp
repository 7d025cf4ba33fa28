// The trace: every event of a run, as a 64-bit hash (always) and as JSONL
// (when a file is asked for). The hash is defined over a binary record of each
// event, documented in docs/trace.md, so two runs agree on the hash exactly
// when they agree event for event.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "sim/node_api.hpp"
#include "sim/time.hpp"

namespace electsim {

enum class TraceEvent : std::uint8_t {
  send = 1,
  deliver,
  drop,
  timer,
  crash,
  restart,
  fault,
  role
};

// Why a message was dropped.
enum class DropReason : std::uint8_t { partition = 1, loss, down, stale };
std::string_view drop_reason_name(DropReason reason);

class Trace {
 public:
  Trace() = default;
  ~Trace();
  Trace(const Trace&) = delete;
  Trace& operator=(const Trace&) = delete;

  // Starts writing JSONL to `file` (already opened by the caller, who renames
  // it into place when the run is complete).
  void write_to(std::FILE* file) { file_ = file; }
  bool writing() const { return file_ != nullptr; }

  void message(TraceEvent ev, Time t, NodeId from, NodeId to, std::uint8_t type,
               std::string_view type_name, Term term) {
    add(t,
        static_cast<std::uint64_t>(ev) | static_cast<std::uint64_t>(type) << 8 |
            static_cast<std::uint64_t>(from) << 32,
        to, term);
    if (file_) write_message(ev, t, from, to, type_name, term, DropReason{});
  }
  void drop(Time t, NodeId from, NodeId to, std::uint8_t type, std::string_view type_name,
            Term term, DropReason why) {
    add(t,
        static_cast<std::uint64_t>(TraceEvent::drop) | static_cast<std::uint64_t>(type) << 8 |
            static_cast<std::uint64_t>(from) << 32,
        to | static_cast<std::uint64_t>(why) << 32, term);
    if (file_) write_message(TraceEvent::drop, t, from, to, type_name, term, why);
  }
  void timer(Time t, NodeId node, TimerId id, std::string_view timer_name) {
    add(t,
        static_cast<std::uint64_t>(TraceEvent::timer) | static_cast<std::uint64_t>(id) << 8 |
            static_cast<std::uint64_t>(node) << 32,
        0, 0);
    if (file_) write_timer(t, node, timer_name);
  }
  void node_event(TraceEvent ev, Time t, NodeId node);  // crash, restart
  void role(Time t, NodeId node, Role role, Term term, NodeId leader);
  // A fault firing: the entry, its action, the nodes it touched; `skipped`
  // for a "leader" target with no leader; `undo` for the end of its `for`.
  void fault(Time t, std::size_t entry, std::string_view origin, std::string_view action, bool undo,
             bool skipped, const std::vector<NodeId>& nodes, std::string_view detail);
  // A fault line that is not a firing (the drawn nemesis schedule, written
  // first); hashed as its text.
  void note(Time t, std::string_view key, std::string_view json_value);

  std::uint64_t hash() const;
  void flush();

 private:
  void add(Time t, std::uint64_t w1, std::uint64_t w2, std::uint64_t w3) {
    mix(static_cast<std::uint64_t>(t));
    mix(w1);
    mix(w2);
    mix(w3);
  }
  void mix(std::uint64_t word) {
    h_ = (h_ ^ word) * 0x9e3779b97f4a7c15ULL;
    h_ ^= h_ >> 29;
  }
  void write_message(TraceEvent ev, Time t, NodeId from, NodeId to, std::string_view type_name,
                     Term term, DropReason why);
  void write_timer(Time t, NodeId node, std::string_view timer_name);
  void maybe_flush() {
    if (buffer_.size() > (1u << 20)) flush();
  }

  std::uint64_t h_ = 0x6a09e667f3bcc908ULL;
  std::FILE* file_ = nullptr;
  std::string buffer_;
};

}  // namespace electsim
