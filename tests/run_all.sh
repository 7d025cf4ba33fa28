#!/usr/bin/env bash
# The whole test suite, from a fresh clone: install what is missing, build in
# Release and run every test, check formatting, then build once more with
# AddressSanitizer + UndefinedBehaviorSanitizer (its own build tree) and run
# the tests again. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

bash .ci/install-deps

echo "== Release build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DELECTSIM_TESTS=ON >/dev/null
cmake --build build -j"$jobs"
echo "== tests (Release)"
ctest --test-dir build --output-on-failure -j"$jobs"

echo "== clang-format"
git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run -Werror

echo "== ASan+UBSan build"
cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Debug -DELECTSIM_SANITIZE=ON -DELECTSIM_TESTS=ON >/dev/null
cmake --build build-sanitize -j"$jobs"
echo "== tests (ASan+UBSan)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-sanitize --output-on-failure -j"$jobs"
