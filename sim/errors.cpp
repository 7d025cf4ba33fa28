// Assertion reporting: a bug surfaces as InternalError carrying the seed and
// the simulated time, so that `electsim run --seed N` reproduces it.
#include "sim/errors.hpp"

#include <fmt/format.h>

namespace electsim {

void assertion_failed(const char* expr, const char* file, int line, const std::string& detail) {
  throw InternalError(fmt::format("assertion failed: {} ({}:{}) {}", expr, file, line, detail));
}

}  // namespace electsim
