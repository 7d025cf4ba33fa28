// The command line's one-line errors (exit 2). A FileError names the file and
// the field: "error: FILE: /faults/2/at: expected a time such as "150ms"".
#pragma once

#include <stdexcept>
#include <string>

#include "sim/errors.hpp"

namespace electsim {

class FileError : public std::runtime_error {
 public:
  FileError(const std::string& file, const InputError& e)
      : std::runtime_error(file + ": " + (e.pointer().empty() ? "" : e.pointer() + ": ") +
                           e.what()) {}
};

// Parses an unsigned decimal; throws InputError(option, ...) otherwise.
std::uint64_t parse_u64(const std::string& text, const std::string& option);
// "A..B", inclusive, A <= B.
std::pair<std::uint64_t, std::uint64_t> parse_seed_range(const std::string& text,
                                                         const std::string& option);

}  // namespace electsim
