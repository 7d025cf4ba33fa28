// Algorithm parameters as the scenario loader sees them: a name, a kind, a
// default and a one-line doc. Each algorithm publishes its list (shown by
// `electsim list`); the loader checks `params` against it and fills in the
// defaults, so an algorithm reads only validated, complete params.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sim/time.hpp"

namespace electsim {

struct ParamSpec {
  enum class Kind {
    time,        // "50ms" -> integer microseconds, > 0
    time_range,  // ["150ms", "300ms"] -> [min_us, max_us], 0 < min <= max
    boolean,
    number,   // double within [min, max]
    integer,  // integer within [min, max]
    custom,   // checked by `check`, stored as given
  };
  std::string name;
  Kind kind = Kind::boolean;
  nlohmann::json default_value;  // in scenario-file form ("50ms")
  std::string doc;
  double min = 0, max = 0;  // number and integer
  // custom: throws InputError(pointer, ...) if `value` is wrong.
  std::function<void(const nlohmann::json& value, const std::string& pointer, std::uint32_t nodes)>
      check;
};

class ParamCatalog {
 public:
  virtual ~ParamCatalog() = default;
  // nullptr if no algorithm has that name.
  virtual const std::vector<ParamSpec>* find(std::string_view algorithm) const = 0;
  virtual std::vector<std::string> names() const = 0;
};

// Readers for normalized params.
inline Time param_time(const nlohmann::json& params, const char* key) {
  return params.at(key).get<Time>();
}
inline Time param_time_min(const nlohmann::json& params, const char* key) {
  return params.at(key).at(0).get<Time>();
}
inline Time param_time_max(const nlohmann::json& params, const char* key) {
  return params.at(key).at(1).get<Time>();
}
inline bool param_bool(const nlohmann::json& params, const char* key) {
  return params.at(key).get<bool>();
}

}  // namespace electsim
