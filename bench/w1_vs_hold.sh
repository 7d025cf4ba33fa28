#!/usr/bin/env bash
# Workload W1, whole process, electsim against the bare-loop reference
# ../shared/bench/hold.cpp, alternated (A B A B ...), five counted runs each;
# prints median wall times, their ratio and electsim's peak memory.
# Usage: bench/w1_vs_hold.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shared=../shared/bench
hold=$(mktemp -d)/hold
g++ -O2 -std=c++17 -o "$hold" "$shared/hold.cpp"
electsim=("$build/electsim" run "$shared/w1.json" --format json)
if command -v farm-bench >/dev/null; then
  farm-bench -n 5 --vs "$hold 3600 1" -- "${electsim[@]}"
else
  for i in 1 2 3 4 5; do
    /usr/bin/time -f "electsim wall %e s, peak %M KiB" "${electsim[@]}" >/dev/null
    /usr/bin/time -f "hold     wall %e s, peak %M KiB" "$hold" 3600 1 >/dev/null
  done
fi
