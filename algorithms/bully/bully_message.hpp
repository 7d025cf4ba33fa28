// Bully's messages (Garcia-Molina 1982; Coulouris et al., Distributed
// Systems, section 15.3): ELECTION, ANSWER and COORDINATOR as the sources
// name them, plus the failure detector's HEARTBEAT / HEARTBEAT_ACK pair that
// Coulouris leaves abstract ("a process detects a failure by timeouts").
// One plain struct, so messages travel by value through the event queue.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "sim/node_api.hpp"

namespace electsim::bully {

enum class MessageType : std::uint8_t {
  election,       // to every higher id: "is anyone above me alive?"
  answer,         // reply to ELECTION: "yes, I am, and I take over"
  coordinator,    // to every lower id: "I am the coordinator"
  heartbeat,      // follower -> coordinator; coordinator -> higher ids (probe)
  heartbeat_ack,  // reply to HEARTBEAT
};

inline constexpr std::array<std::string_view, 5> kMessageNames = {
    "ELECTION", "ANSWER", "COORDINATOR", "HEARTBEAT", "HEARTBEAT_ACK"};

struct Message {
  MessageType type = MessageType::heartbeat;
  // COORDINATOR: the election counter of the new reign (the announcer's
  // highest counter seen + 1), which is the term of its leadership.
  // Every other message: the sender's highest counter seen, so news of the
  // counter spreads and later reigns get larger terms.
  Term term_ = 0;
  // HEARTBEAT_ACK: whether the sender is a coordinator now. A follower's
  // failure detector counts only an ACK from a coordinator that still leads.
  bool leading = false;

  std::uint8_t kind() const { return static_cast<std::uint8_t>(type); }
  Term term() const { return term_; }
  bool operator==(const Message&) const = default;
};

}  // namespace electsim::bully
