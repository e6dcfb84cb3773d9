#!/usr/bin/env python3
"""Counts the test cases of JUnit XML result files (CTest --output-junit, Catch2 -r junit, node
--test --test-reporter=junit, scripts/unittest_junit.py) and prints "PASSED FAILED SKIPPED".

A file that is missing, empty, unreadable or holds no test case counts as one failure, so a runner
that crashed before writing its results, or ran nothing, fails its stage.

    usage: scripts/junit_count.py FILE...
"""
import sys
import xml.etree.ElementTree as ET


def count(path):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        print(f"junit_count: {path}: no readable results ({e})", file=sys.stderr)
        return 0, 1, 0
    passed = failed = skipped = 0
    for case in root.iter("testcase"):
        # A todo test (node --test) that fails is written with both <skipped type="todo"> and
        # <failure>: an expected failure, which node's own exit status does not count either.
        if case.find("skipped") is not None:
            skipped += 1
        elif case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        else:
            passed += 1
    if passed + failed + skipped == 0:
        print(f"junit_count: {path}: no test case in the results", file=sys.stderr)
        return 0, 1, 0
    return passed, failed, skipped


def main(paths):
    totals = [0, 0, 0]
    for path in paths:
        for i, n in enumerate(count(path)):
            totals[i] += n
    if not paths:
        totals[1] = 1
    print(*totals)


if __name__ == "__main__":
    main(sys.argv[1:])
