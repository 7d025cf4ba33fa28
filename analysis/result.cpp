// Assembling and printing one run's result; see result.hpp.
#include "analysis/result.hpp"

#include <fmt/format.h>

#include "sim/time.hpp"

namespace electsim {

using nlohmann::json;

std::string hash_text(std::uint64_t hash) {
  return fmt::format("0x{:016x}", hash);
}

namespace {

json optional_time(const std::optional<Time>& t) {
  return t ? json(*t) : json(nullptr);
}

json messages_json(const RunRecord& record) {
  json by_type = json::object();
  for (std::size_t i = 0; i < record.message_names.size(); ++i)
    by_type[std::string(record.message_names[i])] = record.messages.sent_by_type[i];
  return {{"sent", record.messages.sent},
          {"delivered", record.messages.delivered},
          {"dropped", record.messages.dropped},
          {"duplicated", record.messages.duplicated},
          {"by_type", by_type}};
}

}  // namespace

json run_result_json(const RunRecord& record, const CheckOptions& options,
                     const RunContext& context) {
  const Leadership leadership = analyze_leadership(record, options);
  const LivenessVerdict liveness = check_liveness(record, options);

  json leaders = json::array();
  for (const LeaderInterval& l : leadership.leaders)
    leaders.push_back({{"node", l.node}, {"term", l.term}, {"from_us", l.from}, {"to_us", l.to}});
  json failovers = json::array();
  for (const Failover& f : leadership.failovers)
    failovers.push_back({{"crashed_leader", f.crashed_leader},
                         {"at_us", f.at},
                         {"downtime_us", optional_time(f.downtime)}});
  json violations = json::array();
  for (const Violation& v : leadership.violations)
    violations.push_back({{"kind", v.kind},
                          {"at_us", v.at},
                          {"nodes", v.nodes},
                          {"term", v.term},
                          {"detail", v.detail}});
  const bool safety_ok = !options.safety_enabled || leadership.violations.empty();

  std::size_t fired = 0, skipped = 0;
  for (const FaultFiring& f : record.faults) (f.skipped ? skipped : fired) += 1;

  json result = {
      {"version", ELECTSIM_VERSION},
      {"scenario", context.scenario_name},
      {"algorithm", record.algorithm},
      {"seed", record.seed},
      {"nodes", record.nodes},
      {"duration_us", record.duration},
      {"events", record.events},
      {"wall_us", context.wall_us},
      {"trace_hash", hash_text(record.trace_hash)},
      {"reproduce", context.reproduce},
      {"messages", messages_json(record)},
      {"leaders", leaders},
      {"leader_changes", leaders.empty() ? 0 : leaders.size() - 1},
      {"first_leader_us", optional_time(leadership.first_leader)},
      {"failovers", failovers},
      {"leaderless_us", leadership.leaderless},
      {"split_brain_us", leadership.split_brain},
      {"safety",
       {{"ok", safety_ok}, {"checked", options.safety_enabled}, {"violations", violations}}},
      {"liveness",
       {{"ok", liveness.ok},
        {"applicable", liveness.applicable},
        {"detail", liveness.detail},
        {"t0_us", liveness.t0},
        {"groups", liveness.groups},
        {"settled_at_us", optional_time(liveness.settled_at)}}},
      {"faults",
       {{"fired", fired}, {"skipped", skipped}, {"not_reached", record.faults_not_reached}}},
      {"params", context.params},
  };
  if (!record.nemesis_schedule.is_null()) result["nemesis_schedule"] = record.nemesis_schedule;
  result["verdict"] = failed_checks(result).empty() ? "pass" : "fail";
  return result;
}

std::vector<std::string> failed_checks(const json& result) {
  std::vector<std::string> failed;
  if (result.contains("error")) return {"internal"};
  if (!result["safety"]["ok"].get<bool>()) failed.push_back("safety");
  if (!result["liveness"]["ok"].get<bool>()) failed.push_back("liveness");
  return failed;
}

namespace {
std::string time_text(const json& us) {
  return us.is_null() ? "never" : format_time(us.get<Time>());
}

template <class... Args>
void add_line(std::string& out, fmt::format_string<Args...> format, Args&&... args) {
  out += fmt::format(format, std::forward<Args>(args)...);
  out += '\n';
}
}  // namespace

std::string run_result_text(const json& r) {
  std::string out;
  const std::vector<std::string> failed = failed_checks(r);
  add_line(out, "{}: {}  ({}, {} nodes, seed {}, {} simulated, {} events, trace {})",
           r["scenario"].get<std::string>(),
           failed.empty() ? "PASS" : "FAIL (" + fmt::format("{}", fmt::join(failed, ", ")) + ")",
           r["algorithm"].get<std::string>(), r["nodes"].get<std::uint32_t>(),
           r["seed"].get<std::uint64_t>(), format_time(r["duration_us"].get<Time>()),
           r["events"].get<std::uint64_t>(), r["trace_hash"].get<std::string>());

  const json& leaders = r["leaders"];
  out += '\n';
  add_line(out, "leaders ({} change{}, first at {}):", r["leader_changes"].get<std::size_t>(),
           r["leader_changes"].get<std::size_t>() == 1 ? "" : "s", time_text(r["first_leader_us"]));
  const std::size_t shown = std::min<std::size_t>(leaders.size(), 20);
  for (std::size_t i = 0; i < shown; ++i)
    add_line(out, "  {:>10} .. {:<10} node {:<4} term {}",
             format_time(leaders[i]["from_us"].get<Time>()),
             format_time(leaders[i]["to_us"].get<Time>()), leaders[i]["node"].get<NodeId>(),
             leaders[i]["term"].get<Term>());
  if (leaders.size() > shown)
    add_line(out, "  ... {} more (see --format json)", leaders.size() - shown);
  if (leaders.empty()) add_line(out, "  none");

  const json& m = r["messages"];
  out += '\n';
  add_line(out, "messages: {} sent, {} delivered, {} dropped, {} duplicated",
           m["sent"].get<std::uint64_t>(), m["delivered"].get<std::uint64_t>(),
           m["dropped"].get<std::uint64_t>(), m["duplicated"].get<std::uint64_t>());
  for (const auto& [type, count] : m["by_type"].items())
    if (count.get<std::uint64_t>() > 0)
      add_line(out, "  {:<24} {}", type, count.get<std::uint64_t>());

  if (!r["failovers"].empty()) {
    out += '\n';
    add_line(out, "failovers:");
    std::size_t listed = 0;
    for (const json& f : r["failovers"]) {
      if (++listed > 20) {
        add_line(out, "  ... {} more (see --format json)", r["failovers"].size() - 20);
        break;
      }
      add_line(out, "  leader {} crashed at {}: {}", f["crashed_leader"].get<NodeId>(),
               format_time(f["at_us"].get<Time>()),
               f["downtime_us"].is_null()
                   ? std::string("no new leader before the end")
                   : "new leader after " + format_time(f["downtime_us"].get<Time>()));
    }
  }
  out += '\n';
  add_line(out, "leaderless {}, split brain {}", format_time(r["leaderless_us"].get<Time>()),
           format_time(r["split_brain_us"].get<Time>()));
  const json& safety = r["safety"];
  if (safety["violations"].empty()) {
    add_line(out, "safety: ok");
  } else {
    add_line(out, "safety: {}",
             safety["checked"].get<bool>() ? "FAILED"
                                           : "violations (not checked: checks.safety is false)");
    std::size_t listed = 0;
    for (const json& v : safety["violations"]) {
      if (++listed > 20) {
        add_line(out, "  ... {} more (see --format json)", safety["violations"].size() - 20);
        break;
      }
      add_line(out, "  {} at {}: {}", v["kind"].get<std::string>(),
               format_time(v["at_us"].get<Time>()), v["detail"].get<std::string>());
    }
  }
  const json& liveness = r["liveness"];
  add_line(out, "liveness: {}: {}",
           !liveness["ok"].get<bool>()          ? "FAILED"
           : liveness["applicable"].get<bool>() ? "ok"
                                                : "n/a",
           liveness["detail"].get<std::string>());
  if (!failed.empty()) {
    out += '\n';
    add_line(out, "reproduce: {}", r["reproduce"].get<std::string>());
  }
  return out;
}

}  // namespace electsim
