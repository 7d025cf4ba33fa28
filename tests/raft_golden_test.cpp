// Golden traces (STYLE.md): small Raft runs pinned event for event in
// tests/golden/*.txt. To accept an intended change, rerun with
// ELECTSIM_REWRITE_GOLDEN=1 and review the diff of the .txt files.
#include <catch2/catch.hpp>

#include "tests/test_support.hpp"

using namespace electsim::testing;

namespace {
void check_golden_run(const std::string& name) {
  const std::string trace_path = temporary_directory() + "/trace.jsonl";
  run_file_with_trace("tests/golden_scenarios/" + name + ".json", trace_path);
  const std::string difference =
      compare_golden(name, fixed_width_trace(read_text_file(trace_path)));
  INFO(difference);
  CHECK(difference.empty());
}
}  // namespace

TEST_CASE("golden trace: three Raft nodes elect a leader", "[raft][golden]") {
  check_golden_run("raft-3-clean");
}

TEST_CASE("golden trace: a Raft leader crashes and restarts", "[raft][golden]") {
  check_golden_run("raft-3-leader-crash");
}
