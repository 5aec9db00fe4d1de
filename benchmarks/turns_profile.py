"""Turns benchmark, profile side: where a bot's CPU goes, sampled by py-spy while it is driven.

``python -m benchmarks.turns --profile DIR`` records each assistant process during its last
round's guide and act phases (``py-spy record --gil``: only the thread holding the GIL is
sampled, so the samples share out the Python CPU time) into ``DIR/<bot>-<walk>.txt`` (collapsed
stacks, for flame graph tools), and prints the share of samples by library (the innermost frame's
package) and the functions with the most samples of their own. py-spy is not a dependency of the
project: ``pip install py-spy`` into the virtual environment first (it needs ptrace rights).
"""

from __future__ import annotations

import asyncio
import re
import shutil
import signal
import sys
from collections import Counter
from pathlib import Path

_PACKAGE = re.compile(r"\((?:.*/site-packages/|.*/lib/python3\.\d+/)?([A-Za-z_][\w]*)")
_OWN = ("bot", "dialogs", "domain", "benchmarks")
INCLUSIVE = ("telegram", "httpx", "httpcore", "sqlalchemy", "psycopg", "transitions", "logging",
             "dialogs", "domain", "asyncio", "threading", "concurrent", "tornado", "json")


def py_spy() -> str | None:
    """py-spy next to this Python (its virtual environment), else on the PATH."""
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


def available() -> bool:
    return py_spy() is not None


class Recording:
    """py-spy sampling one process until :meth:`stop`."""

    def __init__(self, process: asyncio.subprocess.Process, output: Path) -> None:
        self.process, self.output = process, output

    @classmethod
    async def start(cls, pid: int, output: Path) -> Recording:
        process = await asyncio.create_subprocess_exec(
            py_spy() or "py-spy", "record", "--pid", str(pid), "--gil", "--rate", "250",
            "--format", "raw", "--output", str(output), "--nonblocking",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        await asyncio.sleep(0.5)  # attached before the traffic starts
        return cls(process, output)

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGINT)  # py-spy writes its file on Ctrl-C
        await self.process.wait()


def package_of(frame: str) -> str:
    """``function (path/to/file.py:12)`` → the top-level package or module of the file."""
    found = _PACKAGE.search(frame.replace("\\", "/"))
    if found is None:
        return "?"
    path = frame[frame.find("(") + 1:]
    for own in _OWN:
        if f"/{own}/" in path or path.startswith(f"{own}/"):
            return own
    return found.group(1)


def summary(collapsed: Path, top: int = 15) -> str:
    """Shares of samples by library of the innermost frame, and the busiest functions."""
    by_package: Counter[str] = Counter()
    within: Counter[str] = Counter()  # samples with at least one frame of the package
    by_function: Counter[str] = Counter()
    total = 0
    for line in collapsed.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        leaf = stack.split(";")[-1]
        total += count
        by_package[package_of(leaf)] += count
        for package in {package_of(frame) for frame in stack.split(";")}:
            within[package] += count
        by_function[leaf.split(" (")[0] + " [" + package_of(leaf) + "]"] += count
    if not total:
        return f"{collapsed.name}: no samples"
    lines = [f"{collapsed.name}: {total} samples holding the GIL; by library (innermost frame):"]
    lines += [f"  {name:<20} {n / total:6.1%}" for name, n in by_package.most_common(top)]
    lines.append("  within (a frame of the library anywhere in the stack):")
    lines += [f"  {name:<20} {within[name] / total:6.1%}" for name in INCLUSIVE if within[name]]
    lines.append("  functions with the most samples of their own:")
    lines += [f"  {n / total:6.1%}  {name}" for name, n in by_function.most_common(top)]
    return "\n".join(lines)
