"""``python -m benchmarks [--quick]``: every benchmark in turn, each in a fresh process.

``--quick`` is passed to the benchmarks that take it (footprint, turns).
"""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = (("intent", False), ("footprint", True), ("turns", True))


def main(argv: list[str]) -> int:
    quick = ["--quick"] if "--quick" in argv else []
    failed = 0
    for name, takes_quick in BENCHMARKS:
        print(f"== benchmarks.{name} ==", flush=True)
        command = [sys.executable, "-m", f"benchmarks.{name}", *(quick if takes_quick else [])]
        failed += subprocess.run(command, check=False).returncode != 0
        print(flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
