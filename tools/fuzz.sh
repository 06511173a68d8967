#!/usr/bin/env bash
# `make fuzz` (docs/testing.md §7): builds every fuzz target of t/fuzz/targets with clang,
# libFuzzer, ASan and UBSan (build/fuzz), then runs each for FUZZ_SECONDS (default 600),
# FUZZ_JOBS at a time (default 2), starting from its seed corpus t/fuzz/<target>/.
#
#   FUZZ_TARGETS="ics jwt" FUZZ_SECONDS=60 make fuzz
#
# What a run learns goes to build/fuzz/corpus/<target>/ (kept between runs); a finding is
# written to build/fuzz/findings/<target>/ and makes the exit status non-zero. Fix it, then
# copy the finding into t/fuzz/<target>/: `make test` replays that folder from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$PWD/build/fuzz
SECONDS_EACH=${FUZZ_SECONDS:-600}
JOBS=${FUZZ_JOBS:-2}
CXX=${FUZZ_CXX:-clang++-14}
CC=${FUZZ_CC:-clang-14}

if [ ! -f "$OUT/cmake/build.ninja" ]; then
  CC=$CC CXX=$CXX cmake -S . -B "$OUT/cmake" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DTWAKE_FUZZ=ON -DTWAKE_OUTPUT_DIR="$OUT/bin" >/dev/null
fi
targets=${FUZZ_TARGETS:-$(cd t/fuzz/targets && ls *.cpp | sed 's/\.cpp$//')}
cmake --build "$OUT/cmake" --target $(printf 'fuzz-%s ' $targets)

run_one() {
  local target=$1 corpus=$OUT/corpus/$1 findings=$OUT/findings/$1
  mkdir -p "$corpus" "$findings"
  # The seeds are read, never written: new inputs go to the working corpus.
  if "$OUT/bin/fuzz-$target" "$corpus" "t/fuzz/$target" -max_total_time="$SECONDS_EACH" \
      -artifact_prefix="$findings/" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
      >"$OUT/$target.log" 2>&1; then
    echo "fuzz: $target: $(grep -E '^stat::number_of_executed_units' "$OUT/$target.log" | awk '{print $2}') runs, no finding"
  else
    echo "fuzz: $target: FINDING, see $OUT/$target.log and $findings/" >&2
    return 1
  fi
}

status=0
running=0
for target in $targets; do
  run_one "$target" &
  running=$((running + 1))
  if [ "$running" -ge "$JOBS" ]; then
    wait -n || status=1
    running=$((running - 1))
  fi
done
while [ "$running" -gt 0 ]; do
  wait -n || status=1
  running=$((running - 1))
done
exit $status
