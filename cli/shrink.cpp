// Shrinking a failing run; see shrink.hpp.
#include "cli/shrink.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "algorithms/registry.hpp"
#include "analysis/result.hpp"
#include "cli/runner.hpp"
#include "sim/errors.hpp"
#include "sim/json_input.hpp"
#include "sim/nemesis.hpp"

namespace electsim {

using nlohmann::json;

std::string FailureSignature::describe() const {
  std::string text = fmt::format("{}", fmt::join(checks, ", "));
  if (!violation_kinds.empty()) text += fmt::format(" ({})", fmt::join(violation_kinds, ", "));
  return text;
}

FailureSignature failure_signature(const json& result) {
  FailureSignature signature;
  signature.checks = failed_checks(result);
  if (result.contains("safety") && !result["safety"]["ok"].get<bool>())
    for (const json& violation : result["safety"]["violations"])
      signature.violation_kinds.insert(violation["kind"].get<std::string>());
  return signature;
}

namespace {

constexpr int kMaxRounds = 30;
constexpr Time kShortestWindow = kMillisecond;

Time time_of(const json& value) {
  return input::read_time(value, "(shrink)");
}

class Shrinker {
 public:
  Shrinker(json document, std::string file) : doc_(std::move(document)), file_(std::move(file)) {}

  ShrinkOutcome run() {
    const json first = evaluate(doc_);
    if (first.is_null()) throw InputError("", "the scenario does not run");
    target_ = failure_signature(first);
    if (target_.checks.empty())
      throw InputError("/seed", fmt::format("seed {} passes every check: nothing to shrink",
                                            doc_["seed"].dump()));
    if (target_.checks == std::vector<std::string>{"internal"})
      throw InputError(
          "/seed",
          "the run ends in an internal error; shrink works on safety and liveness failures");
    last_result_ = first;
    concretize_nemesis();
    for (int round = 0; round < kMaxRounds; ++round) {
      const std::size_t before = steps_.size();
      drop_fault_entries();
      drop_repeats();
      shorten_windows();
      drop_jitter();
      lower_node_count();
      shorten_duration();
      simplify_network();
      if (steps_.size() == before) break;
    }
    ShrinkOutcome outcome{doc_, last_result_, target_, steps_, runs_};
    return outcome;
  }

 private:
  // The run's result, or null if the candidate is not a valid scenario.
  json evaluate(const json& candidate) {
    ++runs_;
    try {
      const Scenario scenario = scenario_from_json(candidate, file_, {}, registry());
      Overrides overrides;
      overrides.seed = scenario.seed;
      return run_scenario(RunRequest{&scenario, "", nullptr, overrides});
    } catch (const InputError&) {
      return nullptr;
    }
  }

  // Keeps `candidate` if it still fails the same way.
  bool attempt(const json& candidate, const std::string& step) {
    const json result = evaluate(candidate);
    if (result.is_null() || failure_signature(result) != target_) return false;
    doc_ = candidate;
    last_result_ = result;
    steps_.push_back(step);
    return true;
  }

  json& faults(json& document) {
    if (!document.contains("faults")) document["faults"] = json::array();
    return document["faults"];
  }

  void concretize_nemesis() {
    if (!doc_.contains("nemesis")) return;
    json candidate = doc_;
    const json schedule = last_result_.value("nemesis_schedule", json::array());
    for (const json& entry : schedule) faults(candidate).push_back(entry);
    candidate.erase("nemesis");
    const std::string step =
        fmt::format("nemesis -> its {} drawn fault entries, made explicit", schedule.size());
    if (!attempt(candidate, step))
      throw InternalError(
          "shrink: the explicit nemesis schedule does not fail like the nemesis did");
  }

  // Drop whole entries: halves first, then smaller chunks, down to single ones.
  void drop_fault_entries() {
    for (std::size_t chunk = std::max<std::size_t>(1, faults(doc_).size() / 2); chunk >= 1;
         chunk /= 2) {
      for (std::size_t start = faults(doc_).size(); start > 0;) {
        const std::size_t begin = start >= chunk ? start - chunk : 0;
        json candidate = doc_;
        json& list = faults(candidate);
        list.erase(list.begin() + static_cast<long>(begin),
                   list.begin() + static_cast<long>(start));
        const std::string step = chunk == 1
                                     ? fmt::format("removed fault {}", faults(doc_)[begin].dump())
                                     : fmt::format("removed faults {}..{}", begin, start - 1);
        attempt(candidate, step);
        start = begin;
        if (start > faults(doc_).size()) start = faults(doc_).size();
      }
      if (chunk == 1) break;
    }
  }

  // An `every` entry: first a single firing, else the fewest repeats that fail.
  void drop_repeats() {
    for (std::size_t i = 0; i < faults(doc_).size(); ++i) {
      const json& entry = faults(doc_)[i];
      if (!entry.contains("every")) continue;
      json single = doc_;
      faults(single)[i].erase("every");
      faults(single)[i].erase("until");
      if (attempt(single, fmt::format("fault {}: one firing instead of repeats", i))) continue;
      const Time at = time_of(entry["at"]), every = time_of(entry["every"]);
      const Time end =
          entry.contains("until") ? time_of(entry["until"]) : time_of(doc_["duration"]);
      std::int64_t lo = 2, hi = (end - at + every - 1) / every;  // hi repeats fail today
      while (lo < hi) {
        const std::int64_t mid = lo + (hi - lo) / 2;
        json candidate = doc_;
        faults(candidate)[i]["until"] = exact_time(at + (mid - 1) * every + 1);
        if (!evaluate_same(candidate))
          lo = mid + 1;
        else
          hi = mid;
      }
      const Time until = at + (hi - 1) * every + 1;
      if (!entry.contains("until") || time_of(entry["until"]) > until) {
        json candidate = doc_;
        faults(candidate)[i]["until"] = exact_time(until);
        attempt(candidate, fmt::format("fault {}: repeats cut to {}", i, hi));
      }
    }
  }

  bool evaluate_same(const json& candidate) {
    const json result = evaluate(candidate);
    return !result.is_null() && failure_signature(result) == target_;
  }

  void shorten_windows() {
    for (std::size_t i = 0; i < faults(doc_).size(); ++i) {
      while (faults(doc_)[i].contains("for")) {
        const Time window = time_of(faults(doc_)[i]["for"]);
        if (window / 2 < kShortestWindow) break;
        json candidate = doc_;
        faults(candidate)[i]["for"] = exact_time(window / 2);
        if (!attempt(candidate, fmt::format("fault {}: for {} -> {}", i, format_time(window),
                                            format_time(window / 2))))
          break;
      }
    }
  }

  void drop_jitter() {
    for (std::size_t i = 0; i < faults(doc_).size(); ++i) {
      if (!faults(doc_)[i].contains("jitter")) continue;
      json candidate = doc_;
      faults(candidate)[i].erase("jitter");
      attempt(candidate, fmt::format("fault {}: no jitter", i));
    }
  }

  // End the run just after the failure shows: after the first violation, or
  // at the end of the liveness window.
  // End the run as early as it still fails: a binary search, since a run
  // that fails at some length fails at every greater one (the violation or the
  // end of the liveness window has happened by then). It starts from the first
  // violation, or the end of the liveness window, which usually suffices.
  void shorten_duration() {
    const Time duration = time_of(doc_["duration"]);
    Time guess = duration;
    if (std::find(target_.checks.begin(), target_.checks.end(), "liveness") != target_.checks.end())
      guess = last_result_["liveness"]["t0_us"].get<Time>() + within_of(doc_) + 1;
    else if (!last_result_["safety"]["violations"].empty())
      guess = last_result_["safety"]["violations"][0]["at_us"].get<Time>() + 1;
    auto fails_at = [&](Time length) {
      json candidate = doc_;
      candidate["duration"] = exact_time(length);
      return evaluate_same(candidate);
    };
    Time lo = 1, hi = duration;  // hi fails; searched in whole milliseconds past lo

    if (guess < duration && fails_at(guess))
      hi = guess;
    else
      lo = std::min(guess, duration);
    while (hi - lo > kMillisecond) {
      const Time mid = lo + (hi - lo) / 2;
      if (fails_at(mid))
        hi = mid;
      else
        lo = mid + 1;
    }
    if (hi < duration) {
      json candidate = doc_;
      candidate["duration"] = exact_time(hi);
      attempt(candidate, fmt::format("duration {} -> {}", format_time(duration), format_time(hi)));
    }
  }

  Time within_of(const json& document) {
    if (document.contains("checks") && document["checks"].contains("liveness") &&
        document["checks"]["liveness"].is_object())
      return time_of(document["checks"]["liveness"]["within"]);
    return 10 * kSecond;
  }

  // Fewer nodes: drop the highest id and every mention of it.
  void lower_node_count() {
    for (;;) {
      const std::int64_t nodes = doc_["nodes"].get<std::int64_t>();
      if (nodes <= 1) return;
      json candidate = doc_;
      candidate["nodes"] = nodes - 1;
      const auto beyond = [&](const json& id) {
        return id.is_number() && id.get<std::int64_t>() >= nodes;
      };
      json kept = json::array();
      for (json entry : faults(candidate)) {
        bool keep = true;
        for (const char* key : {"crash", "restart", "isolate", "campaign", "pause"})
          if (entry.contains(key)) {
            json& target = entry[key];
            if (target.is_array()) {
              target.erase(std::remove_if(target.begin(), target.end(), beyond), target.end());
              keep = !target.empty();
            } else {
              keep = !beyond(target);
            }
          }
        if (entry.contains("partition")) {
          json groups = json::array();
          for (json group : entry["partition"]) {
            group.erase(std::remove_if(group.begin(), group.end(), beyond), group.end());
            if (!group.empty()) groups.push_back(group);
          }
          entry["partition"] = groups;
          keep = !groups.empty();
        }
        if (entry.contains("cut")) {
          json links = json::array();
          for (const json& link : entry["cut"])
            if (!beyond(link[0]) && !beyond(link[1])) links.push_back(link);
          entry["cut"] = links;
          keep = !links.empty();
        }
        if (entry.contains("drift")) keep = !beyond(entry["drift"]["node"]);
        if (keep) kept.push_back(entry);
      }
      candidate["faults"] = kept;
      if (candidate.contains("network") && candidate["network"].contains("links")) {
        json links = json::array();
        for (const json& link : candidate["network"]["links"])
          if (!beyond(link["link"][0]) && !beyond(link["link"][1])) links.push_back(link);
        candidate["network"]["links"] = links;
      }
      if (!attempt(candidate, fmt::format("nodes {} -> {}", nodes, nodes - 1))) return;
    }
  }

  // No loss, no duplication, no per-link overrides, shorter delays.
  void simplify_network() {
    if (!doc_.contains("network")) return;
    for (const char* key : {"loss", "duplicate"})
      if (doc_["network"].contains(key) && doc_["network"][key] != 0) {
        json candidate = doc_;
        candidate["network"][key] = 0;
        attempt(candidate, fmt::format("network.{} -> 0", key));
      }
    while (doc_["network"].contains("links") && !doc_["network"]["links"].empty()) {
      json candidate = doc_;
      candidate["network"]["links"].erase(candidate["network"]["links"].size() - 1);
      if (!attempt(candidate, "removed the last per-link override")) break;
    }
    if (doc_["network"].contains("delay")) {
      json candidate = doc_;
      candidate["network"]["delay"] = {
          {"distribution", "uniform"}, {"min", "1ms"}, {"max", "10ms"}};
      if (candidate != doc_) attempt(candidate, "network delay -> the default uniform 1ms..10ms");
    }
  }

  json doc_;
  std::string file_;
  FailureSignature target_;
  json last_result_;
  std::vector<std::string> steps_;
  int runs_ = 0;
};

}  // namespace

ShrinkOutcome shrink_scenario(const json& document, const std::string& file) {
  return Shrinker(document, file).run();
}

}  // namespace electsim
