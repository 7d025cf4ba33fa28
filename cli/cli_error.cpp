// Parsing of numeric command-line values; see cli_error.hpp.
#include "cli/cli_error.hpp"

#include <charconv>

namespace electsim {

std::uint64_t parse_u64(const std::string& text, const std::string& option) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error == std::errc::result_out_of_range)
    throw InputError(option, "\"" + text + "\" is out of range [0, 2^64-1]");
  if (error != std::errc() || end != text.data() + text.size() || text.empty())
    throw InputError(option, "expected a non-negative integer, got \"" + text + "\"");
  return value;
}

std::pair<std::uint64_t, std::uint64_t> parse_seed_range(const std::string& text,
                                                         const std::string& option) {
  const auto dots = text.find("..");
  if (dots == std::string::npos)
    throw InputError(option, "expected A..B (inclusive), got \"" + text + "\"");
  const std::uint64_t a = parse_u64(text.substr(0, dots), option);
  const std::uint64_t b = parse_u64(text.substr(dots + 2), option);
  if (a > b) throw InputError(option, "A is greater than B in \"" + text + "\"");
  return {a, b};
}

}  // namespace electsim
