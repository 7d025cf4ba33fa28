// ZAB's messages as one plain struct, so that they travel by value through the
// event queue (no heap allocation per message).
//
// NOTIFICATION is Fast Leader Election's message (ZooKeeper's
// FastLeaderElection.Notification: state, proposed leader, zxid, election
// epoch, peer epoch; the sid is the sender). The others are the Zab 1.0
// discovery and synchronization packets of ZooKeeper's Leader/Learner
// (FOLLOWERINFO, LEADERINFO, ACKEPOCH, NEWLEADER, ACK, UPTODATE) and the PING
// that leader and followers exchange once the epoch is established.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "sim/node_api.hpp"

namespace electsim::zab {

using Epoch = std::uint64_t;
using Zxid = std::uint64_t;

// QuorumPeer.ServerState (OBSERVING is not modelled: every node votes).
enum class ServerState : std::uint8_t { looking, following, leading };

enum class MessageType : std::uint8_t {
  notification,
  follower_info,
  leader_info,
  ack_epoch,
  new_leader,
  ack,
  up_to_date,
  ping,
};

inline constexpr std::array<std::string_view, 8> kMessageNames = {
    "NOTIFICATION", "FOLLOWERINFO", "LEADERINFO", "ACKEPOCH",
    "NEWLEADER",    "ACK",          "UPTODATE",   "PING"};

struct Message {
  MessageType type = MessageType::ping;
  ServerState state = ServerState::looking;  // NOTIFICATION: the sender's state
  NodeId leader = kNoNode;                   // NOTIFICATION: the proposed leader
  // NOTIFICATION: the proposed leader's last zxid. ACKEPOCH: the follower's
  // last zxid. NEWLEADER: the leader's last zxid (the history to sync to).
  Zxid zxid = 0;
  Epoch election_epoch = 0;  // NOTIFICATION: the round (logicalclock)
  // NOTIFICATION: peerEpoch of the proposed leader. FOLLOWERINFO: the
  // follower's acceptedEpoch. ACKEPOCH: its currentEpoch. LEADERINFO,
  // NEWLEADER, ACK, UPTODATE, PING: the new epoch.
  Epoch epoch = 0;
  // ACKEPOCH: ZooKeeper's -1 currentEpoch, "already accepted this epoch, do
  // not count me as an ack" (Learner.registerWithLeader).
  bool no_ack = false;

  std::uint8_t kind() const { return static_cast<std::uint8_t>(type); }
  // The trace's `term`: the round for NOTIFICATION, the epoch otherwise.
  Term term() const { return type == MessageType::notification ? election_epoch : epoch; }
  bool operator==(const Message&) const = default;
};

}  // namespace electsim::zab
