// A one-node cluster is its own majority: every algorithm must elect it.
#include <catch2/catch.hpp>

#include "tests/test_support.hpp"

using namespace electsim;
using namespace electsim::testing;

TEST_CASE("every algorithm elects the only node of a one-node cluster", "[scenarios]") {
  for (const char* algorithm : {"raft", "bully", "paxos", "zab"}) {
    INFO(algorithm);
    const nlohmann::json r =
        run_text(std::string(R"({"algorithm":")") + algorithm + R"(","nodes":1,"duration":"5s"})");
    CHECK(r["verdict"] == "pass");
    REQUIRE(r["leaders"].size() == 1);
    CHECK(r["leaders"][0]["node"] == 1);
    CHECK(r["leaders"][0]["to_us"] == 5000000);
    CHECK(r["liveness"]["applicable"] == true);
  }
}
