// Message delay draws (DESIGN.md: delay distributions). Written here, over our
// own generators and det_log/det_exp, so that a seed draws the same delays on
// every machine. A draw is floored to whole microseconds, truncated at 0 and
// capped at one day (heavy-tailed pareto/lognormal draws could overflow time).
#pragma once

#include <cmath>

#include "sim/random.hpp"
#include "sim/scenario.hpp"

namespace electsim {

inline constexpr Time kMaxDelay = kDay;

template <class Generator>
double uniform01_of(Generator& gen) {
  return uniform01_from(gen.next());
}

// Standard normal by Marsaglia's polar method, for any 64-bit generator.
template <class Generator>
double standard_normal(Generator& gen) {
  for (;;) {
    const double u = 2.0 * uniform01_of(gen) - 1.0;
    const double v = 2.0 * uniform01_of(gen) - 1.0;
    const double s = u * u + v * v;
    if (s > 0.0 && s < 1.0) return u * std::sqrt(-2.0 * det_log(s) / s);
  }
}

inline Time clamp_delay(double us) {
  if (!(us > 0)) return 0;  // also catches NaN
  if (us >= static_cast<double>(kMaxDelay)) return kMaxDelay;
  return static_cast<Time>(us);  // floor: us >= 0
}

template <class Generator>
Time draw_delay(const DelaySpec& spec, Generator& gen) {
  switch (spec.kind) {
    case DelaySpec::Kind::constant:
      return spec.a;
    case DelaySpec::Kind::uniform:
      if (spec.a == spec.b) return spec.a;
      return clamp_delay(static_cast<double>(spec.a) +
                         uniform01_of(gen) * static_cast<double>(spec.b - spec.a));
    case DelaySpec::Kind::normal:
      return clamp_delay(static_cast<double>(spec.a) +
                         static_cast<double>(spec.b) * standard_normal(gen));
    case DelaySpec::Kind::exponential:
      return clamp_delay(static_cast<double>(spec.b) -
                         static_cast<double>(spec.a) * det_log(1.0 - uniform01_of(gen)));
    case DelaySpec::Kind::lognormal:
      return clamp_delay(static_cast<double>(spec.a) * det_exp(spec.shape * standard_normal(gen)));
    case DelaySpec::Kind::pareto:
      return clamp_delay(static_cast<double>(spec.a) *
                         det_exp(-det_log(1.0 - uniform01_of(gen)) / spec.shape));
  }
  return spec.a;
}

}  // namespace electsim
