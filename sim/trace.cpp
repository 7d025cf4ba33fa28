// JSONL writing and the non-message events of the trace; see trace.hpp.
#include "sim/trace.hpp"

#include <fmt/format.h>

#include <iterator>

#include "sim/random.hpp"

namespace electsim {

std::string_view drop_reason_name(DropReason reason) {
  switch (reason) {
    case DropReason::partition:
      return "partition";
    case DropReason::loss:
      return "loss";
    case DropReason::down:
      return "down";
    case DropReason::stale:
      return "stale";
  }
  return "?";
}

namespace {
std::string_view event_name(TraceEvent ev) {
  switch (ev) {
    case TraceEvent::send:
      return "send";
    case TraceEvent::deliver:
      return "deliver";
    case TraceEvent::drop:
      return "drop";
    case TraceEvent::timer:
      return "timer";
    case TraceEvent::crash:
      return "crash";
    case TraceEvent::restart:
      return "restart";
    case TraceEvent::fault:
      return "fault";
    case TraceEvent::role:
      return "role";
  }
  return "?";
}

std::uint64_t text_hash(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}
}  // namespace

Trace::~Trace() {
  flush();
}

void Trace::flush() {
  if (file_ && !buffer_.empty()) std::fwrite(buffer_.data(), 1, buffer_.size(), file_);
  buffer_.clear();
}

std::uint64_t Trace::hash() const {
  return mix64(h_);
}

void Trace::write_message(TraceEvent ev, Time t, NodeId from, NodeId to, std::string_view type_name,
                          Term term, DropReason why) {
  auto out = std::back_inserter(buffer_);
  fmt::format_to(out, R"({{"t_us":{},"ev":"{}","from":{},"to":{},"type":"{}","term":{})", t,
                 event_name(ev), from, to, type_name, term);
  if (ev == TraceEvent::drop) fmt::format_to(out, R"(,"reason":"{}")", drop_reason_name(why));
  buffer_ += "}\n";
  maybe_flush();
}

void Trace::write_timer(Time t, NodeId node, std::string_view timer_name) {
  fmt::format_to(std::back_inserter(buffer_),
                 R"({{"t_us":{},"ev":"timer","node":{},"timer":"{}"}})"
                 "\n",
                 t, node, timer_name);
  maybe_flush();
}

void Trace::node_event(TraceEvent ev, Time t, NodeId node) {
  add(t, static_cast<std::uint64_t>(ev) | static_cast<std::uint64_t>(node) << 32, 0, 0);
  if (!file_) return;
  fmt::format_to(std::back_inserter(buffer_),
                 R"({{"t_us":{},"ev":"{}","node":{}}})"
                 "\n",
                 t, event_name(ev), node);
  maybe_flush();
}

void Trace::role(Time t, NodeId node, Role role, Term term, NodeId leader) {
  add(t,
      static_cast<std::uint64_t>(TraceEvent::role) | static_cast<std::uint64_t>(role) << 8 |
          static_cast<std::uint64_t>(node) << 32,
      leader, term);
  if (!file_) return;
  fmt::format_to(std::back_inserter(buffer_),
                 R"({{"t_us":{},"ev":"role","node":{},"role":"{}","term":{},"leader":{}}})"
                 "\n",
                 t, node, role_name(role), term, leader);
  maybe_flush();
}

void Trace::fault(Time t, std::size_t entry, std::string_view origin, std::string_view action,
                  bool undo, bool skipped, const std::vector<NodeId>& nodes,
                  std::string_view detail) {
  add(t,
      static_cast<std::uint64_t>(TraceEvent::fault) | static_cast<std::uint64_t>(undo) << 8 |
          static_cast<std::uint64_t>(skipped) << 9 | static_cast<std::uint64_t>(entry) << 32,
      text_hash(action), nodes.size());
  for (NodeId node : nodes) mix(node);
  mix(text_hash(detail));
  if (!file_) return;
  auto out = std::back_inserter(buffer_);
  fmt::format_to(out, R"({{"t_us":{},"ev":"fault","entry":"{}","action":"{}")", t, origin, action);
  if (undo) buffer_ += R"(,"undo":true)";
  if (skipped) buffer_ += R"(,"skipped":true)";
  fmt::format_to(out, R"(,"nodes":[{}])", fmt::join(nodes, ","));
  if (!detail.empty()) fmt::format_to(out, R"(,"detail":{})", detail);
  buffer_ += "}\n";
  maybe_flush();
}

void Trace::note(Time t, std::string_view key, std::string_view json_value) {
  mix(static_cast<std::uint64_t>(t));
  mix(text_hash(key));
  mix(text_hash(json_value));
  if (!file_) return;
  fmt::format_to(std::back_inserter(buffer_),
                 R"({{"t_us":{},"ev":"fault","action":"{}","detail":{}}})"
                 "\n",
                 t, key, json_value);
  maybe_flush();
}

}  // namespace electsim
