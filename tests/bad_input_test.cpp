// The command line's contract for bad input (DESIGN.md, exit codes): exit 2,
// exactly one line on stderr naming the file, the field and what is wrong,
// nothing on stdout, and no output file left behind. Each file in
// tests/bad_inputs/ is run for real with `run FILE --trace OUT.jsonl`, in an
// empty folder that must still be empty afterwards; EXPECTED.txt says what
// each error must name.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "tests/test_support.hpp"

using namespace electsim::testing;

namespace {

// NAME -> the text that must follow "error: FILE: " (a JSON pointer, or
// "malformed JSON" for a file that is not JSON).
std::map<std::string, std::string> expected_errors() {
  std::map<std::string, std::string> expected;
  std::ifstream in(source_path("tests/bad_inputs/EXPECTED.txt"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.find(' ');
    REQUIRE(space != std::string::npos);
    expected[line.substr(0, space)] = line.substr(space + 1);
  }
  return expected;
}

std::size_t count_lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

std::vector<std::string> folder_contents(const std::string& directory) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(directory))
    names.push_back(entry.path().filename().string());
  return names;
}

// exit 2, nothing on stdout, one line on stderr starting "error: ".
void check_usage_error(const CommandResult& r) {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.rfind("error: ", 0) == 0);
  CHECK((!r.err.empty() && r.err.back() == '\n'));
}

// Runs a bad input in a fresh folder and checks the whole contract.
void check_bad_input(const std::string& name, const std::string& expected) {
  const std::string file = source_path("tests/bad_inputs/" + name);
  const std::string directory = temporary_directory();
  const CommandResult r = run_electsim({"run", file, "--trace", "out.jsonl"}, directory);
  INFO("bad input " << name << "\nstdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(count_lines(r.err) == 1);
  const std::string prefix = "error: " + file + ": " + expected;
  CHECK(r.err.rfind(prefix, 0) == 0);
  // A pointer is named exactly, not as the start of a longer one.
  if (!expected.empty() && expected[0] == '/' && r.err.size() > prefix.size())
    CHECK(r.err[prefix.size()] == ':');
  // No trace and no temporary file.
  CHECK(folder_contents(directory).empty());
  std::filesystem::remove_all(directory);
}

}  // namespace

TEST_CASE("the bad-input corpus has at least 20 files, each with its expected error", "[cli]") {
  const std::map<std::string, std::string> expected = expected_errors();
  std::set<std::string> on_disk;
  for (const auto& entry : std::filesystem::directory_iterator(source_path("tests/bad_inputs")))
    if (entry.path().extension() == ".json") on_disk.insert(entry.path().filename().string());
  CHECK(on_disk.size() >= 20);
  for (const std::string& name : on_disk) {
    INFO(name);
    CHECK(expected.count(name) == 1);
  }
  for (const auto& [name, text] : expected) {
    INFO(name);
    CHECK(on_disk.count(name) == 1);
  }
}

TEST_CASE("each bad input: exit 2, one line naming the file and the field, no files", "[cli]") {
  for (const auto& [name, expected] : expected_errors()) check_bad_input(name, expected);
}

TEST_CASE("validate reports the same error for a bad input", "[cli]") {
  const std::string file = source_path("tests/bad_inputs/node_in_two_groups.json");
  const CommandResult r = run_electsim({"validate", file});
  check_usage_error(r);
  CHECK(r.err.rfind("error: " + file + ": /faults/0/partition/1/0: ", 0) == 0);
}

TEST_CASE("a file that does not exist", "[cli]") {
  const std::string directory = temporary_directory();
  const CommandResult r = run_electsim({"run", "missing.json", "--trace", "out.jsonl"}, directory);
  check_usage_error(r);
  CHECK(r.err.find("missing.json") != std::string::npos);
  CHECK(folder_contents(directory).empty());
  std::filesystem::remove_all(directory);
}

TEST_CASE("command-line errors: exit 2 and one line on stderr", "[cli]") {
  const std::string good = source_path("scenarios/raft-clean-start.json");
  const std::vector<std::vector<std::string>> commands = {
      {"run", good, "--seed", "abc"},
      {"run", good, "--seed", "-1"},
      {"run", good, "--seed", "18446744073709551616"},
      {"run", good, "--nodes", "many"},
      {"run", good, "--format", "xml"},
      {"run", good, "--bogus"},
      {"run", good, "--set", "network.loss"},
      {"run", good, "--set", "network.loss=2"},
      {"run", good, "--duration", "forever"},
      {"run", good, "--algorithm", "nope"},
      {"run"},
      {"run", good, "another.json"},
      {"sweep", good, "--seeds", "5..1"},
      {"sweep", good, "--seeds", "1-5"},
      {"sweep", good, "--seeds", "a..b"},
      {"sweep", good},
      {"sweep", good, "--seeds", "1..2", "--shard", "2/2"},
      {"validate"},
      {"merge"},
      {"merge", "missing.jsonl"},
      {"list", "--format", "xml"},
      {"frobnicate"},
      {"--bogus"},
  };
  for (const std::vector<std::string>& args : commands) {
    std::string line;
    for (const std::string& a : args) line += a + " ";
    INFO("electsim " << line);
    check_usage_error(run_electsim(args));
  }
}

TEST_CASE("a usage error names the option or the field", "[cli]") {
  const std::string good = source_path("scenarios/raft-clean-start.json");
  CHECK(run_electsim({"run", good, "--seed", "abc"}).err.find("--seed") != std::string::npos);
  CHECK(run_electsim({"sweep", good, "--seeds", "5..1"}).err.find("--seeds") != std::string::npos);
  CHECK(run_electsim({"run", good, "--set", "network.loss=2"}).err.find("/network/loss") !=
        std::string::npos);
  CHECK(run_electsim({"frobnicate"}).err.find("frobnicate") != std::string::npos);
}

// DESIGN.md: exit 2 is "exactly one line on stderr ..., nothing on stdout";
// bare `electsim` once printed the usage on stdout.
TEST_CASE("no arguments at all is a usage error like any other", "[cli]") {
  check_usage_error(run_electsim({}));
}

TEST_CASE("option --help on each command exits 0 and prints to stdout", "[cli]") {
  for (const char* command : {"run", "sweep", "merge", "validate", "list"}) {
    INFO(command);
    const CommandResult r = run_electsim({command, "--help"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("usage: electsim " + std::string(command)) != std::string::npos);
    CHECK(r.err.empty());
  }
  const CommandResult top = run_electsim({"--help"});
  CHECK(top.exit_code == 0);
  CHECK(top.out.find("usage") != std::string::npos);
  for (const char* command : {"run", "sweep", "merge", "validate", "list"})
    CHECK(top.out.find(std::string("electsim ") + command) != std::string::npos);
}

TEST_CASE("option --version prints electsim and a version", "[cli]") {
  const CommandResult r = run_electsim({"--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  REQUIRE(r.out.rfind("electsim ", 0) == 0);
  CHECK(count_lines(r.out) == 1);
  const std::string version = r.out.substr(9, r.out.size() - 10);
  CHECK_FALSE(version.empty());
  CHECK(version.find_first_not_of("0123456789.") == std::string::npos);
  CHECK(version.find('.') != std::string::npos);
}

TEST_CASE("a good run with --trace leaves exactly the trace", "[cli]") {
  // The counterpart of the bad-input checks: the folder test can see a file.
  const std::string directory = temporary_directory();
  const CommandResult r =
      run_electsim({"run", source_path("scenarios/raft-clean-start.json"), "--trace", "out.jsonl",
                    "--duration", "1s", "--format", "json"},
                   directory);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(folder_contents(directory) == std::vector<std::string>{"out.jsonl"});
  CHECK(count_lines(r.out) == 1);
  CHECK(r.err.empty());
  std::filesystem::remove_all(directory);
}
