#!/usr/bin/env bash
# The test command: installs what is missing, builds everything, runs every test, and ends with
# one summary line "tests: N passed, N failed". Exits non-zero when anything failed.
#   unit (native, ASan+UBSan, through CTest) · unit (wasm, under node) · fuzz (short run)
#   serve.py · browser (headless Chromium against serve.py and a real OAuth server)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
log_dir="$root/build/test-logs"
mkdir -p "$log_dir"
passed=0 failed=0
declare -a report

# Every runner writes JUnit XML into build/test-logs; scripts/junit_count.py counts its cases. A
# stage whose runner exits non-zero counts at least one failure, and one that wrote no readable
# results, or ran no test, counts as failed: a crash or an empty run never passes.
stage() { # name, runner exit code, passed, failed, skipped
  local ok=$3 bad=$4 skipped=${5:-0}
  if [ "$2" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi
  if [ $((ok + bad + skipped)) -eq 0 ]; then bad=1; fi
  passed=$((passed + ok)); failed=$((failed + bad))
  report+=("$(printf '%-22s %4d passed, %d failed%s' "$1" "$ok" "$bad" "$([ "$skipped" -gt 0 ] && echo ", $skipped skipped")")")
}
junit_stage() { # name, runner exit code, JUnit file...
  local name=$1 rc=$2; shift 2
  # shellcheck disable=SC2046
  stage "$name" "$rc" $(python3 "$root/scripts/junit_count.py" "$@")
}

"$root/scripts/setup.sh" || { echo "tests: set-up failed"; echo "tests: 0 passed, 1 failed"; exit 1; }

# --- Static checks: clang-format, the layering of src/ and function length (check.sh's own summary line)
scripts/check.sh 2>&1 | tee "$log_dir/check.log" | tail -n 20
rc=${PIPESTATUS[0]}
read -r ok bad < <(sed -nE 's/^check: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$log_dir/check.log" | tail -1)
stage "checks" "$rc" "${ok:-0}" "${bad:-0}"

# --- Unit tests, native, with sanitizers, through CTest
if scripts/build.sh native >"$log_dir/build-native.log" 2>&1; then
  rm -f "$log_dir/unit-native.xml"
  (cd build/native && ctest --output-on-failure -j2 --output-junit "$log_dir/unit-native.xml") 2>&1 \
    | tee "$log_dir/unit-native.log" | tail -n 3
  junit_stage "unit (native)" "${PIPESTATUS[0]}" "$log_dir/unit-native.xml"
else
  tail -n 30 "$log_dir/build-native.log"; stage "unit (native) build" 1 0 1
fi

# --- The same unit tests as wasm under node: the shipped compiler and library
if scripts/build.sh wasm-tests >"$log_dir/build-wasm-tests.log" 2>&1; then
  # Catch2 writes its JUnit report to stdout (-o would write into the wasm's in-memory file system).
  node --no-experimental-fetch build/wasm-tests/tests/unit/unit_tests.js --use-colour no -r junit \
    >"$log_dir/unit-wasm.xml" 2>"$log_dir/unit-wasm.log"
  rc=$?
  tail -n 3 "$log_dir/unit-wasm.log"
  junit_stage "unit (wasm)" "$rc" "$log_dir/unit-wasm.xml"
else
  tail -n 30 "$log_dir/build-wasm-tests.log"; stage "unit (wasm) build" 1 0 1
fi

# --- Fuzz targets, a short bounded run (tests/fuzz/run.sh runs longer): one line per target
if [ -x tests/fuzz/run.sh ]; then
  tests/fuzz/run.sh "${FUZZ_SECONDS:-10}" >"$log_dir/fuzz.log" 2>&1
  rc=$?
  grep -E '^fuzz_[a-z_]+: ' "$log_dir/fuzz.log" || tail -n 30 "$log_dir/fuzz.log"
  stage "fuzz" "$rc" "$(grep -cE '^fuzz_[a-z_]+: .*no crash' "$log_dir/fuzz.log")" \
    "$(grep -E '^fuzz_[a-z_]+: ' "$log_dir/fuzz.log" | grep -cv 'no crash')"
fi

# --- serve.py (unittest, written as JUnit by scripts/unittest_junit.py)
rm -f "$log_dir/serve.xml"
python3 scripts/unittest_junit.py tests/serve "$log_dir/serve.xml" 2>&1 | tee "$log_dir/serve.log" | tail -n 3
junit_stage "serve.py" "${PIPESTATUS[0]}" "$log_dir/serve.xml"

# --- Browser tests against the release page (the spec report on screen, JUnit for the count)
if scripts/build.sh page >"$log_dir/build-page.log" 2>&1; then
  rm -f "$log_dir/e2e.xml"
  (cd tests/e2e && node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=junit --test-reporter-destination="$log_dir/e2e.xml" ./*.test.mjs) 2>&1 \
    | tee "$log_dir/e2e.log" | grep -vE '^\s*$' | tail -n 60
  junit_stage "browser" "${PIPESTATUS[0]}" "$log_dir/e2e.xml"
else
  tail -n 30 "$log_dir/build-page.log"; stage "page build" 1 0 1
fi

# --- Compiler warnings in every build above (CMake's -Wall -Wextra -Wpedantic -Wshadow
# -Wconversion; third-party code is built with -w): each distinct warning counts as a failure.
warnings=$(cat "$log_dir"/build-*.log "$log_dir/fuzz.log" 2>/dev/null | grep -E '^[^ :]+:[0-9]+:[0-9]+: warning: ' | sort -u)
if [ -n "$warnings" ]; then printf '%s\n' "$warnings" | head -n 30; fi
stage "warnings" 0 "$([ -z "$warnings" ] && echo 1 || echo 0)" "$(printf '%s' "$warnings" | grep -c . )"

echo
printf '%s\n' "${report[@]}"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
