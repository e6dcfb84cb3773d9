#!/usr/bin/env python3
"""Runs Python unittest discovery and writes the outcome as JUnit XML (the standard library's
unittest has no JUnit output). The usual text report still goes to stderr.

    usage: scripts/unittest_junit.py START_DIR RESULTS.xml
"""
import sys
import time
import unittest
import xml.etree.ElementTree as ET


class RecordingResult(unittest.TextTestResult):
    """A text result that also keeps (test id, outcome, detail, seconds) for every test."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = []
        self._started = 0.0

    def startTest(self, test):
        self._started = time.monotonic()
        super().startTest(test)

    def _record(self, test, outcome, detail=""):
        self.cases.append((test.id(), outcome, detail, time.monotonic() - self._started))

    def addSuccess(self, test):
        super().addSuccess(test)
        self._record(test, "passed")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._record(test, "failure", self._exc_info_to_string(err, test))

    def addError(self, test, err):
        super().addError(test, err)
        self._record(test, "error", self._exc_info_to_string(err, test))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._record(test, "skipped", reason)

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._record(test, "passed")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._record(test, "failure", "unexpected success")


def main(start_dir, out_path):
    suite = unittest.defaultTestLoader.discover(start_dir)
    result = unittest.TextTestRunner(resultclass=RecordingResult, verbosity=1).run(suite)
    root = ET.Element("testsuite", name=start_dir, tests=str(len(result.cases)),
                      failures=str(len(result.failures)), errors=str(len(result.errors)))
    for test_id, outcome, detail, seconds in result.cases:
        classname, _, name = test_id.rpartition(".")
        case = ET.SubElement(root, "testcase", classname=classname, name=name, time=f"{seconds:.3f}")
        if outcome != "passed":
            ET.SubElement(case, outcome, message=detail.splitlines()[-1] if detail else outcome).text = detail
    ET.ElementTree(root).write(out_path, encoding="utf-8", xml_declaration=True)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
