#!/usr/bin/env bash
# Static checks run by the test command: every C++ file is clang-formatted, the layers of src/
# include only downwards (core <- platform, core <- app, core <- ui; ui never sees platform, and
# platform never sees ui or app), and no function in src/ is over 80 lines. Prints one line per problem and "check: N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
passed=0 failed=0

# 1. Formatting (.clang-format at the top level).
unformatted=()
while IFS= read -r f; do
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || unformatted+=("$f")
done < <(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h')
if [ ${#unformatted[@]} -eq 0 ]; then passed=$((passed + 1)); else
  failed=$((failed + 1))
  printf 'check: not clang-formatted (run clang-format -i): %s\n' "${unformatted[@]}"
fi

# 2. Layering: a layer may include only the layers below it.
layer_rule() { # layer, forbidden include prefixes...
  local layer=$1; shift
  local pattern
  pattern=$(printf '|%s/' "$@"); pattern="#include \"(${pattern:1})"
  local hits
  hits=$(grep -rnE "$pattern" "src/$layer" 2>/dev/null || true)
  if [ -z "$hits" ]; then passed=$((passed + 1)); else
    failed=$((failed + 1))
    echo "check: src/$layer includes a layer it must not see:"; echo "$hits"
  fi
}
layer_rule core app ui platform
layer_rule ui platform
layer_rule platform ui app

# 3. No function in src/ over 80 lines (data tables are variables, not functions). Universal Ctags
# gives each function definition's first and last line; a lambda counts in the function around it.
long=$(ctags -x --_xformat='%{input}:%{line}:%{end} %N' --kinds-c++=f --fields=+ne --languages=C++ -R src |
  awk '{ split($1, at, ":"); n = at[3] - at[2] + 1; if (n > 80) print "  " at[1] ":" at[2] " " $2 " (" n " lines)" }')
if [ -z "$long" ]; then passed=$((passed + 1)); else
  failed=$((failed + 1))
  echo "check: functions over 80 lines in src/:"; echo "$long"
fi

echo "check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
