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

stage() { # name, log file, passed, failed
  passed=$((passed + $3)); failed=$((failed + $4))
  report+=("$(printf '%-22s %4d passed, %d failed' "$1" "$3" "$4")")
}

"$root/scripts/setup.sh" || { echo "tests: set-up failed"; echo "0 passed, 1 failed"; exit 1; }

# --- Static checks: clang-format and the layering of src/
scripts/check.sh 2>&1 | tee "$log_dir/check.log" | tail -n 20
line=$(grep -E '^check: [0-9]+ passed, [0-9]+ failed' "$log_dir/check.log" | tail -1)
if [ -n "$line" ]; then
  stage "checks" "" "$(sed -E 's/check: ([0-9]+) passed.*/\1/' <<<"$line")" "$(sed -E 's/.* ([0-9]+) failed/\1/' <<<"$line")"
else stage "checks" "" 0 1; fi

# --- Unit tests, native, with sanitizers, through CTest
if scripts/build.sh native >"$log_dir/build-native.log" 2>&1; then
  (cd build/native && ctest --output-on-failure -j2) 2>&1 | tee "$log_dir/unit-native.log" | tail -n 3
  line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$log_dir/unit-native.log" | tail -1)
  if [ -n "$line" ]; then
    total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line"); bad=$(sed -E 's/.* ([0-9]+) tests failed.*/\1/' <<<"$line")
    stage "unit (native)" "" $((total - bad)) "$bad"
  else stage "unit (native)" "" 0 1; fi
else
  tail -n 30 "$log_dir/build-native.log"; stage "unit (native) build" "" 0 1
fi

# --- The same unit tests as wasm under node: the shipped compiler and library
if scripts/build.sh wasm-tests >"$log_dir/build-wasm-tests.log" 2>&1; then
  node --no-experimental-fetch build/wasm-tests/tests/unit/unit_tests.js --use-colour no 2>&1 | tee "$log_dir/unit-wasm.log" | tail -n 3
  if grep -qE '^All tests passed' "$log_dir/unit-wasm.log"; then
    n=$(grep -E '^All tests passed' "$log_dir/unit-wasm.log" | sed -E 's/.* in ([0-9]+) test case.*/\1/')
    stage "unit (wasm)" "" "$n" 0
  else
    line=$(grep -E '^test cases:' "$log_dir/unit-wasm.log" | tail -1)
    ok=$(sed -nE 's/.*\| *([0-9]+) passed.*/\1/p' <<<"$line"); bad=$(sed -nE 's/.*\| *([0-9]+) failed.*/\1/p' <<<"$line")
    stage "unit (wasm)" "" "${ok:-0}" "${bad:-1}"
  fi
else
  tail -n 30 "$log_dir/build-wasm-tests.log"; stage "unit (wasm) build" "" 0 1
fi

# --- Fuzz targets, a short bounded run (tests/fuzz/run.sh runs longer)
if [ -x tests/fuzz/run.sh ]; then
  if tests/fuzz/run.sh "${FUZZ_SECONDS:-10}" >"$log_dir/fuzz.log" 2>&1; then
    n=$(grep -cE '^fuzz_[a-z_]+: .*no crash' "$log_dir/fuzz.log" || true)
    grep -E '^fuzz_[a-z_]+: ' "$log_dir/fuzz.log"
    stage "fuzz" "" "${n:-0}" 0
  else
    tail -n 30 "$log_dir/fuzz.log"; stage "fuzz" "" 0 1
  fi
fi

# --- serve.py
python3 -m unittest discover -s tests/serve 2>&1 | tee "$log_dir/serve.log" | tail -n 3
ran=$(sed -nE 's/^Ran ([0-9]+) tests?.*/\1/p' "$log_dir/serve.log" | tail -1)
bad=$(sed -nE 's/^FAILED \((.*)\)/\1/p' "$log_dir/serve.log" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
[ -n "$ran" ] && stage "serve.py" "" $((ran - ${bad:-0})) "${bad:-0}" || stage "serve.py" "" 0 1

# --- Browser tests against the release page
if scripts/build.sh page >"$log_dir/build-page.log" 2>&1; then
  (cd tests/e2e && node --test --test-concurrency=1 --test-reporter=spec oidc/*.test.mjs ./*.test.mjs) 2>&1 \
    | tee "$log_dir/e2e.log" | grep -vE '^\s*$' | tail -n 60
  ok=$(sed -nE 's/^ℹ pass ([0-9]+)/\1/p' "$log_dir/e2e.log" | tail -1)
  bad=$(sed -nE 's/^ℹ fail ([0-9]+)/\1/p' "$log_dir/e2e.log" | tail -1)
  [ -n "$ok" ] && stage "browser" "" "$ok" "${bad:-0}" || stage "browser" "" 0 1
else
  tail -n 30 "$log_dir/build-page.log"; stage "page build" "" 0 1
fi

echo
printf '%s\n' "${report[@]}"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
