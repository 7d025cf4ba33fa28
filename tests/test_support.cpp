// Helpers shared by the tests; see test_support.hpp.
#include "tests/test_support.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "algorithms/registry.hpp"
#include "cli/runner.hpp"

extern char** environ;

namespace electsim::testing {

std::string source_path(const std::string& relative_path) {
  return std::string(ELECTSIM_SOURCE_DIR) + "/" + relative_path;
}

Scenario scenario_from_text(const std::string& scenario_json, const Overrides& overrides) {
  return scenario_from_json(nlohmann::json::parse(scenario_json, nullptr, true, true), "test.json",
                            overrides, registry());
}

nlohmann::json run_text(const std::string& scenario_json, const Overrides& overrides) {
  const Scenario scenario = scenario_from_text(scenario_json, overrides);
  return run_scenario(RunRequest{&scenario, "", nullptr, overrides});
}

nlohmann::json run_file(const std::string& relative_path, const Overrides& overrides) {
  const Scenario scenario = load_scenario(source_path(relative_path), overrides, registry());
  return run_scenario(RunRequest{&scenario, "", nullptr, overrides});
}

nlohmann::json run_file_with_trace(const std::string& relative_path, const std::string& trace_path,
                                   const Overrides& overrides) {
  const Scenario scenario = load_scenario(source_path(relative_path), overrides, registry());
  std::FILE* file = std::fopen(trace_path.c_str(), "wb");
  nlohmann::json result = run_scenario(RunRequest{&scenario, "", file, overrides});
  std::fclose(file);
  return result;
}

namespace {
std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}
}  // namespace

std::string temporary_directory() {
  char pattern[] = "/tmp/electsim-test-XXXXXX";
  const char* made = ::mkdtemp(pattern);
  return made ? made : "/tmp";
}

CommandResult run_electsim(const std::vector<std::string>& args, const std::string& directory) {
  const std::string scratch = temporary_directory();
  const std::string out_path = scratch + "/stdout", err_path = scratch + "/stderr";
  std::vector<std::string> words{ELECTSIM_BINARY};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  if (!directory.empty()) posix_spawn_file_actions_addchdir_np(&actions, directory.c_str());
  pid_t pid = 0;
  CommandResult result;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) == 0) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  posix_spawn_file_actions_destroy(&actions);
  result.out = slurp(out_path);
  result.err = slurp(err_path);
  std::remove(out_path.c_str());
  std::remove(err_path.c_str());
  ::rmdir(scratch.c_str());
  return result;
}

}  // namespace electsim::testing

namespace electsim::testing {

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string fixed_width_trace(const std::string& jsonl) {
  std::string out;
  std::istringstream lines(jsonl);
  std::string line;
  char buffer[256];
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    nlohmann::json e = nlohmann::json::parse(line);
    const std::string ev = e["ev"].get<std::string>();
    const long long t = e["t_us"].get<long long>();
    if (e.contains("from")) {
      std::snprintf(buffer, sizeof buffer, "%12lld  %-8s %4u -> %-4u %-24s term %llu%s%s", t,
                    ev.c_str(), e["from"].get<unsigned>(), e["to"].get<unsigned>(),
                    e["type"].get<std::string>().c_str(), e["term"].get<unsigned long long>(),
                    e.contains("reason") ? "  " : "",
                    e.contains("reason") ? e["reason"].get<std::string>().c_str() : "");
    } else if (ev == "timer") {
      std::snprintf(buffer, sizeof buffer, "%12lld  %-8s %4u         %s", t, ev.c_str(),
                    e["node"].get<unsigned>(), e["timer"].get<std::string>().c_str());
    } else if (ev == "role") {
      std::snprintf(buffer, sizeof buffer, "%12lld  %-8s %4u         %-9s term %llu leader %u", t,
                    ev.c_str(), e["node"].get<unsigned>(), e["role"].get<std::string>().c_str(),
                    e["term"].get<unsigned long long>(), e["leader"].get<unsigned>());
    } else if (ev == "crash" || ev == "restart") {
      std::snprintf(buffer, sizeof buffer, "%12lld  %-8s %4u", t, ev.c_str(),
                    e["node"].get<unsigned>());
    } else {
      e.erase("t_us");
      e.erase("ev");
      std::snprintf(buffer, sizeof buffer, "%12lld  %-8s %s", t, ev.c_str(), e.dump().c_str());
    }
    out += buffer;
    out += '\n';
  }
  return out;
}

std::string compare_golden(const std::string& name, const std::string& actual) {
  const std::string path = source_path("tests/golden/" + name + ".txt");
  const char* rewrite = std::getenv("ELECTSIM_REWRITE_GOLDEN");
  if (rewrite && std::string(rewrite) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    return "";
  }
  const std::string expected = read_text_file(path);
  if (expected == actual) return "";
  std::istringstream a(expected), b(actual);
  std::string la, lb;
  for (int number = 1;; ++number) {
    const bool more_a = static_cast<bool>(std::getline(a, la));
    const bool more_b = static_cast<bool>(std::getline(b, lb));
    if (!more_a && !more_b) break;
    if (!more_a || !more_b || la != lb)
      return "tests/golden/" + name + ".txt differs at line " + std::to_string(number) +
             ":\n  expected: " + (more_a ? la : "(end)") +
             "\n  actual:   " + (more_b ? lb : "(end)") +
             "\n(rerun with ELECTSIM_REWRITE_GOLDEN=1 to accept, then review the diff)";
  }
  return "golden file differs";
}

}  // namespace electsim::testing
