#!/usr/bin/env bash
# Builds every libFuzzer target in fuzz/ with clang + ASan/UBSan and runs each for a bounded time.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET=30]. Fails on any crash, leak or sanitizer report.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
shopt -s nullglob
targets=(fuzz/*.cmake)
((${#targets[@]})) || { echo "fuzz: no targets"; exit 0; }
cmake -S fuzz -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build build-fuzz --parallel "$(nproc)"
for t in "${targets[@]}"; do
  name=$(basename "$t" .cmake)
  corpus="build-fuzz/corpus-$name"
  mkdir -p "$corpus"
  seeds=()
  [[ -d "fuzz/seeds/$name" ]] && seeds=("fuzz/seeds/$name")
  echo "fuzz: $name for ${seconds}s"
  (cd build-fuzz && "./$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$PWD/" "corpus-$name" "${seeds[@]/#/../}" 2>"$name.log") ||
    { tail -40 "build-fuzz/$name.log"; echo "fuzz: $name FAILED"; exit 1; }
  grep -E "^(#[0-9]+\s+DONE|Done)" "build-fuzz/$name.log" | tail -1 || true
done
echo "fuzz: all targets clean"
