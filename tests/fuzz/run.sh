#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, -fsanitize=fuzzer,address,undefined) into build/fuzz and
# runs each one for SECONDS (default 20), growing a corpus under build/fuzz/corpus/<target>.
# FUZZ_TOTAL_SECONDS (default 100) caps the whole run: with many targets each gets less, so the
# test command's short run stays near its budget. Prints the executions per target; exits
# non-zero if any target found a crash.
#   usage: tests/fuzz/run.sh [SECONDS]
set -euo pipefail

run_seconds="${1:-20}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$root/build/fuzz"
targets=(fuzz_callback fuzz_token_response fuzz_storage fuzz_discovery fuzz_device_authorization
  fuzz_introspection fuzz_revocation fuzz_postman_import fuzz_profiles_import fuzz_masking)
total_seconds="${FUZZ_TOTAL_SECONDS:-100}"
if [ $((run_seconds * ${#targets[@]})) -gt "$total_seconds" ]; then
  run_seconds=$((total_seconds / ${#targets[@]}))
  [ "$run_seconds" -ge 1 ] || run_seconds=1
fi

cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DOAUTH_FUZZ=ON -DOAUTH_BUILD_TESTS=OFF \
  -DOAUTH_BUILD_PAGE=OFF >"$build.configure.log" 2>&1 || { cat "$build.configure.log"; exit 1; }
cmake --build "$build" -j2 --target "${targets[@]}"

status=0
for target in "${targets[@]}"; do
  corpus="$build/corpus/$target"
  artifacts="$build/artifacts/$target/"
  mkdir -p "$corpus" "$artifacts"
  cp -n "$root/tests/fuzz/seeds/$target/"* "$corpus/" 2>/dev/null || true
  log="$build/$target.log"
  if ! "$build/tests/fuzz/$target" -max_total_time="$run_seconds" -print_final_stats=1 -rss_limit_mb=2048 \
      -artifact_prefix="$artifacts" "$corpus" >"$log" 2>&1; then
    echo "$target: CRASH (log: $log, artifacts: $artifacts)"
    tail -n 30 "$log"
    status=1
    continue
  fi
  executions="$(awk '/^stat::number_of_executed_units:/ {print $2}' "$log")"
  echo "$target: ${executions:-?} executions in ${run_seconds}s, no crash"
done
exit "$status"
