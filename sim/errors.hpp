// Two kinds of failure, kept apart (STYLE.md, Errors):
// - InputError: the user's scenario or command line is wrong. Expected; main
//   prints one line naming the file and the field and exits 2.
// - ELECTSIM_ASSERT: a bug in electsim. Stays on in release builds, prints the
//   seed and the simulated time (added by the simulation loop, which catches
//   and rethrows it), and exits 3 through InternalError.
#pragma once

#include <stdexcept>
#include <string>

namespace electsim {

class InputError : public std::runtime_error {
 public:
  // `pointer` is a JSON pointer into the scenario ("/faults/2/at") or a
  // command-line option ("--seeds"); `message` says what is wrong.
  InputError(std::string pointer, const std::string& message)
      : std::runtime_error(message), pointer_(std::move(pointer)) {}
  const std::string& pointer() const { return pointer_; }

 private:
  std::string pointer_;
};

class InternalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

[[noreturn]] void assertion_failed(const char* expr, const char* file, int line,
                                   const std::string& detail);

}  // namespace electsim

#define ELECTSIM_ASSERT(cond, detail)                                               \
  do {                                                                              \
    if (!(cond)) ::electsim::assertion_failed(#cond, __FILE__, __LINE__, (detail)); \
  } while (0)
