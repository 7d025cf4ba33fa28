// Raft's messages (Raft paper figure 2; thesis section 9.6 for PreVote), as
// one plain struct so that they travel by value through the event queue.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "sim/node_api.hpp"

namespace electsim::raft {

using LogIndex = std::uint64_t;

enum class MessageType : std::uint8_t {
  request_vote,
  request_vote_response,
  pre_vote,
  pre_vote_response,
  append_entries,
  append_entries_response,
};

inline constexpr std::array<std::string_view, 6> kMessageNames = {
    "RequestVote",     "RequestVoteResponse", "PreVote",
    "PreVoteResponse", "AppendEntries",       "AppendEntriesResponse"};

struct Message {
  MessageType type = MessageType::append_entries;
  Term term_ = 0;  // the sender's term (for PreVote: the term it would campaign in)
  // RequestVote/PreVote: lastLogIndex. AppendEntries: prevLogIndex.
  // AppendEntriesResponse: the follower's last matching index on success, or
  // its last log index as a hint on failure.
  LogIndex index = 0;
  // RequestVote/PreVote: lastLogTerm. AppendEntries: prevLogTerm.
  Term log_term = 0;
  // AppendEntries: the term of the one entry it carries, 0 for a heartbeat.
  Term entry_term = 0;
  // Responses: voteGranted / success.
  bool ok = false;

  std::uint8_t kind() const { return static_cast<std::uint8_t>(type); }
  Term term() const { return term_; }
  bool operator==(const Message&) const = default;
};

}  // namespace electsim::raft
