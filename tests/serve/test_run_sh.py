"""Tests for scripts/run.sh's arguments: the relay is on unless --no-relay (issue 9).

run.sh is copied into a temporary tree whose setup.sh and build.sh do nothing and whose
serve.py only prints the arguments it got, so the test runs in a moment and starts nothing.
"""

import json
import os
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RUN_SH = REPO / "scripts" / "run.sh"

FAKE_SERVE = "import json, sys\nprint(json.dumps(sys.argv[1:]))\n"


class TestRunScript(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        root = Path(cls.tmp.name)
        (root / "scripts").mkdir()
        shutil.copy(RUN_SH, root / "scripts" / "run.sh")
        for name in ("setup.sh", "build.sh"):
            stub = root / "scripts" / name
            stub.write_text("#!/bin/sh\nexit 0\n")
            stub.chmod(0o755)
        (root / "serve.py").write_text(FAKE_SERVE)
        cls.run_sh = root / "scripts" / "run.sh"

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def run_script(self, args):
        env = dict(os.environ, OAUTH_SETUP_DEMO="0")  # no demo server
        return subprocess.run(["bash", str(self.run_sh)] + args, capture_output=True, text=True,
                              timeout=30, env=env, stdin=subprocess.DEVNULL)

    def test_serve_arguments(self):
        cases = [
            ([], ["--relay"]),
            (["--no-relay"], []),
            (["--relay"], ["--relay"]),
            (["--port", "9000", "--no-relay", "--host", "0.0.0.0"], ["--port", "9000", "--host", "0.0.0.0"]),
            (["--relay-allow", "auth.example.com:8443", "--port=8080"],
             ["--relay", "--relay-allow", "auth.example.com:8443", "--port=8080"]),
            (["--public-host", "oauth example"], ["--relay", "--public-host", "oauth example"]),
        ]
        for args, expected in cases:
            with self.subTest(args=args):
                result = self.run_script(args)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertEqual(json.loads(result.stdout), expected)

    def test_relay_and_no_relay_contradict(self):
        result = self.run_script(["--relay", "--no-relay"])
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr,
                         "run: --relay and --no-relay contradict each other; give one of them\n")
        self.assertEqual(result.stdout, "")


if __name__ == "__main__":
    unittest.main()
