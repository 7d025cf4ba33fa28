// Every shipped scenario states its expected verdict in its description
// ("Expected verdict: PASS" or "Expected verdict: FAIL (safety)", "FAIL
// (liveness)", "FAIL (safety, liveness)"); this runs each and checks it.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>

#include "analysis/result.hpp"
#include "tests/test_support.hpp"

using namespace electsim;
using namespace electsim::testing;

TEST_CASE("every shipped scenario gives the verdict its description states", "[scenarios]") {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(source_path("scenarios")))
    if (entry.path().extension() == ".json") files.push_back(entry.path().filename().string());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 6);
  const std::regex expected_pattern(R"(Expected verdict: (PASS|FAIL \(([a-z, ]+)\)))");
  for (const std::string& file : files) {
    INFO("scenario " << file);
    const nlohmann::json document = nlohmann::json::parse(
        read_text_file(source_path("scenarios/" + file)), nullptr, true, true);
    const std::string description = document.value("description", "");
    std::smatch match;
    REQUIRE(std::regex_search(description, match, expected_pattern));
    const nlohmann::json result = run_file("scenarios/" + file);
    const std::vector<std::string> failed = failed_checks(result);
    std::string actual;
    for (const std::string& check : failed) actual += (actual.empty() ? "" : ", ") + check;
    CHECK((match[1] == "PASS" ? std::string() : match[2].str()) == actual);
  }
}
