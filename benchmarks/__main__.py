"""``python -m benchmarks [--quick] [--fresh PATH] [intent] [footprint] [turns]``: the benchmarks.

With no name, all of them run, each in a fresh process; name some to run only those.
``--quick`` is passed to the benchmarks that take it (footprint, turns: 20 chats, one round).
Each also runs alone (``python -m benchmarks.turns --help`` for the turns benchmark's options).
``--fresh PATH`` is passed to the understanding benchmark: it then scores that independent set.
"""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = {"intent": False, "footprint": True, "turns": True}  # name: takes --quick


def main(argv: list[str]) -> int:
    quick = ["--quick"] if "--quick" in argv else []
    fresh = argv[argv.index("--fresh") : argv.index("--fresh") + 2] if "--fresh" in argv else []
    names = [a for a in argv if a != "--quick" and a not in fresh]
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; among {', '.join(BENCHMARKS)}",
              file=sys.stderr)
        return 2
    failed = 0
    for name in names or list(BENCHMARKS):
        print(f"== benchmarks.{name} ==", flush=True)
        extra = (quick if BENCHMARKS[name] else []) + (fresh if name == "intent" else [])
        command = [sys.executable, "-m", f"benchmarks.{name}", *extra]
        failed += subprocess.run(command, check=False).returncode != 0
        print(flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
