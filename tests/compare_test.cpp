// electsim compare, its CSV and chart, and the run timeline (issue 5).
#include <catch2/catch.hpp>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "tests/test_support.hpp"

using namespace electsim;
using namespace electsim::testing;

namespace {

// A small well-formedness check: every tag closes in order, attributes are
// quoted, entities are known. Returns an empty string if the text is XML.
std::string xml_problem(const std::string& text) {
  std::vector<std::string> open;
  std::size_t i = 0;
  while ((i = text.find('<', i)) != std::string::npos) {
    const std::size_t end = text.find('>', i);
    if (end == std::string::npos) return "unterminated tag";
    const std::string tag = text.substr(i + 1, end - i - 1);
    i = end + 1;
    if (tag.rfind("?xml", 0) == 0) continue;
    if (tag.rfind("!--", 0) == 0) continue;
    if (!tag.empty() && tag[0] == '/') {
      if (open.empty() || open.back() != tag.substr(1))
        return "unbalanced </" + tag.substr(1) + ">";
      open.pop_back();
      continue;
    }
    const bool self_closing = !tag.empty() && tag.back() == '/';
    const std::string name = tag.substr(0, tag.find_first_of(" /"));
    if (std::count(tag.begin(), tag.end(), '"') % 2 != 0)
      return "unquoted attribute in <" + name + ">";
    if (!self_closing) open.push_back(name);
  }
  if (!open.empty()) return "<" + open.back() + "> never closed";
  const std::regex bad_entity("&(?!(amp|lt|gt|quot|apos);)");
  if (std::regex_search(text, bad_entity)) return "bare &";
  return "";
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t i = text.find(needle); i != std::string::npos; i = text.find(needle, i + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("compare's per-algorithm numbers equal separate sweeps of each algorithm", "[compare]") {
  const std::string scenario = source_path("scenarios/compare-leader-crash.json");
  const auto compared = run_electsim({"compare", scenario, "--algorithms", "raft,paxos,zab,bully",
                                      "--seeds", "1..12", "--format", "json"});
  REQUIRE(compared.exit_code == 0);
  const nlohmann::json algorithms = nlohmann::json::parse(compared.out)["algorithms"];
  REQUIRE(algorithms.size() == 4);
  for (const nlohmann::json& a : algorithms) {
    const std::string name = a["algorithm"].get<std::string>();
    INFO(name);
    const auto sweep = run_electsim(
        {"sweep", scenario, "--algorithm", name, "--seeds", "1..12", "--format", "json"});
    REQUIRE(sweep.exit_code == 0);
    const nlohmann::json s = nlohmann::json::parse(sweep.out);
    CHECK(a["runs"] == s["runs"]);
    CHECK(a["failed"] == s["failed"]);
    for (const auto& [metric, stats] : s["stats"].items()) {
      nlohmann::json mine = a["stats"][metric];
      mine.erase("ci95");
      CHECK(mine == stats);
    }
  }
}

TEST_CASE("the same seed gives every algorithm the same fault times and targets", "[compare]") {
  const std::string dir = temporary_directory();
  const std::string scenario = dir + "/random-faults.json";
  std::FILE* f = std::fopen(scenario.c_str(), "w");
  std::fputs(R"({ "name": "random-faults", "algorithm": "raft", "nodes": 5, "duration": "12s",
      "faults": [ { "at": "1s", "every": "1500ms", "jitter": "400ms", "crash": "random", "for": "300ms" },
                  { "at": "2s", "every": "3s", "partition": [[1, 2]], "for": "1s" },
                  { "at": "2500ms", "every": "2s", "isolate": "minority", "for": "500ms", "jitter": "100ms" } ] })",
             f);
  std::fclose(f);
  std::vector<std::string> fault_lines_of_first;
  for (const char* algorithm : {"raft", "bully", "paxos", "zab"}) {
    INFO(algorithm);
    const std::string trace = dir + "/" + algorithm + ".jsonl";
    run_electsim({"run", scenario, "--algorithm", algorithm, "--trace", trace});
    std::vector<std::string> faults;
    std::istringstream lines(read_text_file(trace));
    for (std::string line; std::getline(lines, line);)
      if (line.find(R"("ev":"fault")") != std::string::npos) faults.push_back(line);
    REQUIRE(faults.size() > 10);
    if (fault_lines_of_first.empty())
      fault_lines_of_first = faults;
    else
      CHECK(faults == fault_lines_of_first);
  }
}

TEST_CASE("compare --format csv has a header and one row per algorithm and metric", "[compare]") {
  const auto r = run_electsim({"compare", source_path("scenarios/compare-clean-start.json"),
                               "--algorithms", "raft,bully", "--seeds", "1..5", "--format", "csv"});
  REQUIRE(r.exit_code == 0);
  std::istringstream lines(r.out);
  std::string header;
  std::getline(lines, header);
  CHECK(header == "algorithm,metric,count,mean,p50,p90,p99,max,ci95_low,ci95_high");
  std::map<std::string, std::set<std::string>> metrics;
  std::size_t rows = 0;
  for (std::string line; std::getline(lines, line); ++rows) {
    CHECK(std::count(line.begin(), line.end(), ',') == 9);
    const std::string algorithm = line.substr(0, line.find(','));
    const std::string metric =
        line.substr(line.find(',') + 1, line.find(',', line.find(',') + 1) - line.find(',') - 1);
    CHECK(metrics[algorithm].insert(metric).second);  // one row per algorithm and metric
  }
  // 7 summary metrics, then per-run and per-election counts of each message type
  // (Raft 6 types, Bully 5).
  CHECK(metrics["raft"].size() == 7 + 2 * 6);
  CHECK(metrics["bully"].size() == 7 + 2 * 5);
  CHECK(metrics["raft"].count("messages_per_election.RequestVote") == 1);
  CHECK(rows == metrics["raft"].size() + metrics["bully"].size());
}

TEST_CASE("the comparison chart is well-formed SVG with one bar stack per algorithm",
          "[compare][svg]") {
  const std::string chart = temporary_directory() + "/chart.svg";
  const auto r =
      run_electsim({"compare", source_path("scenarios/compare-leader-crash.json"), "--algorithms",
                    "bully,raft,paxos,zab", "--seeds", "1..3", "--chart", chart});
  REQUIRE(r.exit_code == 0);
  const std::string svg = read_text_file(chart);
  CHECK(xml_problem(svg).empty());
  CHECK(svg.find("Messages per election, by type") != std::string::npos);
  CHECK(svg.find("Failover downtime") != std::string::npos);
  for (const char* label : {">bully<", ">raft<", ">paxos<", ">zab<"})
    CHECK(count(svg, label) == 3);          // one per panel
  CHECK(count(svg, ">RequestVote<") == 1);  // the legend
}

TEST_CASE("the timeline of a known small run has its lanes, bands and arrows", "[svg]") {
  const std::string dir = temporary_directory();
  const std::string scenario = source_path("tests/golden_scenarios/raft-3-leader-crash.json");
  const auto r =
      run_electsim({"run", scenario, "--trace", dir + "/t.jsonl", "--timeline", dir + "/t.svg"});
  REQUIRE(r.exit_code == 0);
  const std::string svg = read_text_file(dir + "/t.svg");
  REQUIRE(xml_problem(svg).empty());
  for (const char* lane : {">node 1<", ">node 2<", ">node 3<"}) CHECK(count(svg, lane) == 1);
  CHECK(count(svg, ">node 4<") == 0);
  // From the trace (tests/golden/raft-3-leader-crash.txt): node 2 leads term 1
  // until it crashes at 400ms, node 1 leads term 2 from 606ms; two candidacies.
  CHECK(count(svg, R"(class="band leader")") == 2);
  CHECK(count(svg, R"(class="band candidate")") == 2);
  CHECK(count(svg, R"(class="band down")") == 1);
  CHECK(count(svg, R"(class="restart")") == 1);
  const std::string trace = read_text_file(dir + "/t.jsonl");
  CHECK(count(svg, R"(<g class="message">)") == count(trace, R"("ev":"deliver")"));
  CHECK(count(svg, R"(class="message dropped")") == count(trace, R"("ev":"drop")"));
}

TEST_CASE("option --window zooms the timeline and too many arrows are capped with a note",
          "[svg]") {
  const std::string dir = temporary_directory();
  const std::string scenario = source_path("scenarios/raft-leader-crash.json");
  run_electsim({"run", scenario, "--timeline", dir + "/all.svg"});
  run_electsim({"run", scenario, "--timeline", dir + "/zoom.svg", "--window", "4.9s..5.4s"});
  const std::string all = read_text_file(dir + "/all.svg"),
                    zoom = read_text_file(dir + "/zoom.svg");
  CHECK(xml_problem(all).empty());
  CHECK(xml_problem(zoom).empty());
  CHECK(all.find("showing the first 1500 of") != std::string::npos);
  CHECK(zoom.find("showing the first") == std::string::npos);
  CHECK(count(zoom, R"(<g class="message">)") > 20);
  CHECK(count(zoom, R"(<g class="message">)") < 400);
  const auto bad =
      run_electsim({"run", scenario, "--timeline", dir + "/x.svg", "--window", "6s..5s"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--window") != std::string::npos);
}
