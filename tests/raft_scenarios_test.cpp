// What the shipped Raft scenarios show, beyond their pass/fail verdict.
#include <catch2/catch.hpp>

#include "tests/test_support.hpp"

using namespace electsim::testing;

TEST_CASE("etcd 2020 shape: without prevote/check_quorum the cut-off node deposes the leader",
          "[raft][scenarios]") {
  const nlohmann::json plain = run_file("scenarios/raft-etcd-2020-plain.json");
  CHECK(plain["verdict"] == "pass");
  CHECK(plain["leader_changes"].get<int>() >= 2);
  CHECK(plain["leaders"].back()["term"].get<int>() >= 3);  // terms inflated by the disruption
  CHECK(plain["leaders"][0]["node"] == 3);
  CHECK(plain["leaders"][1]["node"] == 1);  // the node that cannot reach leader 3 took over
}

TEST_CASE("etcd 2020 shape: with prevote and check_quorum the leader is never disturbed",
          "[raft][scenarios]") {
  const nlohmann::json fixed = run_file("scenarios/raft-etcd-2020-prevote-checkquorum.json");
  CHECK(fixed["verdict"] == "pass");
  CHECK(fixed["leader_changes"] == 0);
  REQUIRE(fixed["leaders"].size() == 1);
  CHECK(fixed["leaders"][0]["node"] == 3);
  CHECK(fixed["leaders"][0]["term"] == 1);
  CHECK(fixed["messages"]["by_type"]["RequestVote"].get<int>() ==
        2);                                                        // only node 3's first campaign
  CHECK(fixed["messages"]["by_type"]["PreVote"].get<int>() > 10);  // node 1 keeps asking, in vain
}

TEST_CASE("a leader stranded in a minority keeps leading while the majority elects another",
          "[raft][scenarios]") {
  const nlohmann::json r = run_file("scenarios/raft-partition-heal.json");
  CHECK(r["verdict"] == "pass");
  CHECK(r["split_brain_us"].get<long long>() >
        0);  // two leaders of different terms at once, as Raft allows
  CHECK(r["safety"]["violations"].empty());  // but never two in one term
}
