"""Footprint benchmark: database bytes and resident memory per stored conversation, start-up time.

Run ``python -m benchmarks.footprint`` (``--quick`` for a smaller run). It stores 10,000 then
100,000 conversations left mid-procedure (SQLite in a temporary folder; PostgreSQL too when a
server answers at 127.0.0.1:5432, in a database of its own, dropped after), then prints:

- the database bytes per stored conversation (its row and its dialog events, indexes included);
- the resident memory per idle conversation: RSS growth of a fresh process after one turn for
  each of 10,000 distinct stored chats (target < 2 KB; the engine should hold none), and the
  Python-level growth seen by ``tracemalloc``;
- the start-up time of ``openip-bot chat`` up to its first prompt (median of 5, target < 1 s),
  with the slowest imports when over target.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.footprint_store import (
    Seed,
    average_data_bytes,
    fill,
    seed_conversations,
    table_bytes,
)
from bot.database import Database, open_database
from domain.persistence.database import create_database, drop_database

POSTGRES_URL = os.environ.get(
    "OPENIP_BOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PG_DATABASE = f"openip_bot_footprint_{os.getpid()}"  # one per run: runs may overlap
BIN = Path(sys.executable).parent
KB = 1024
OUR_PACKAGES = ("bot", "dialogs", "domain", "benchmarks")


def storage(db: Database, label: str, sizes: tuple[int, ...], seeds: list[Seed]) -> None:
    """Fill the database to each size and print the bytes per conversation."""
    base = table_bytes(db.engine)
    for size in sizes:
        started = time.perf_counter()
        fill(db, seeds, size)
        used = table_bytes(db.engine)
        rows = (used["conversations"] - base["conversations"]) / size
        events = (used["dialog_events"] - base["dialog_events"]) / size
        print(
            f"  {label:<10} {size:>7,} conversations: {rows + events:7.0f} B each "
            f"(row {rows:.0f} B + events {events:.0f} B; "
            f"data JSON {average_data_bytes(db.engine):.0f} B; filled in "
            f"{time.perf_counter() - started:.1f} s)"
        )


def postgres_database() -> str | None:
    """A fresh database of its own on the test server, or None when no server answers."""
    return create_database(POSTGRES_URL, PG_DATABASE)


def drop_postgres_database() -> None:
    drop_database(POSTGRES_URL, PG_DATABASE)


def memory(url: str, turns: int, traced: int) -> None:
    """Run the memory measure in a fresh process and print its figures."""
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.footprint_memory", url, str(turns), str(traced)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    f = json.loads(out)
    grown = f["rss_after_turns"] - f["rss_before_turns"]
    print(
        f"  RSS: {f['rss_after_imports'] / KB**2:.1f} MiB after imports, "
        f"{f['rss_after_engine'] / KB**2:.1f} MiB with the engine, "
        f"{f['rss_before_turns'] / KB**2:.1f} MiB after planning the turns and warming up, "
        f"{f['rss_after_turns'] / KB**2:.1f} MiB after {turns:,} turns of distinct chats"
    )
    print(
        f"  resident memory per idle conversation: {grown / turns:.0f} B "
        f"(RSS growth {grown / KB:.0f} KiB / {turns:,} chats; target < 2048 B); "
        f"{f['ms_per_turn']:.2f} ms per turn"
    )
    print(
        f"  tracemalloc: {f['traced_growth'] / f['traced_turns']:.1f} B per chat over "
        f"{f['traced_turns']:,} more chats ({f['traced_growth']} B in all); "
        f"Conversation objects alive after the turns: {f['conversations_alive']}"
    )
    for line in f["traced_top"]:
        print(f"    {line}")


def first_prompt_seconds(url: str) -> tuple[float, float]:
    """Seconds from starting ``openip-bot chat`` to its first prompt (stdin closed), and the CPU
    seconds the whole process used (less sensitive to other processes sharing the machine)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(BIN / "openip-bot"), "chat", "--db", url],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    seen = b""
    while b"\n> " not in seen:
        chunk = os.read(process.stdout.fileno(), 4096)
        if not chunk:
            raise RuntimeError("openip-bot chat ended without a prompt")
        seen += chunk
    elapsed = time.perf_counter() - started
    process.wait()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return elapsed, cpu


def slowest_imports(url: str, count: int = 8) -> tuple[float, list[tuple[float, str]]]:
    """Import time of ``openip-bot chat`` (ms), and the packages that take most of it."""
    code = (
        "import sys; from bot.cli import main; "
        f"sys.argv = ['openip-bot', 'chat', '--db', {url!r}]; main()"
    )
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    by_package: dict[str, float] = {}
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "cumulative" not in line:
            own, _, name = line.removeprefix("import time:").split("|")
            parts = name.strip().split(".")
            package = ".".join(parts[:2] if parts[0] in OUR_PACKAGES else parts[:1])
            by_package[package] = by_package.get(package, 0) + int(own) / 1000
    ranked = sorted(((ms, name) for name, ms in by_package.items()), reverse=True)
    return sum(by_package.values()), ranked[:count]


def start_up(url: str) -> None:
    first_prompt_seconds(url)  # writes the bytecode caches, as on an installed bot
    runs = [first_prompt_seconds(url) for _ in range(5)]
    median = statistics.median(wall for wall, _ in runs)
    listed = ", ".join(f"{wall:.2f}" for wall, _ in runs)
    print(f"  openip-bot chat, start to first prompt: median {median:.2f} s", end=" ")
    print(f"(runs {listed}; target < 1 s)")
    cpu = statistics.median(cpu for _, cpu in runs)
    print(f"  CPU time of the whole process (to EOF): median {cpu:.2f} s")
    if median > 1:
        total, ranked = slowest_imports(url)
        print(f"  imports take {total:.0f} ms (-X importtime, inflated by it); most of it in:")
        for ms, name in ranked:
            print(f"    {ms:7.1f} ms  {name}")


def machine() -> str:
    """The processor, how many, the system and Python: what the figures depend on."""
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    model = next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("model name")), "")
    cpu = model or platform.processor() or platform.machine()
    system = f"{platform.system()} {platform.release()}"
    return f"{cpu} × {os.cpu_count()}, {system}, Python {platform.python_version()}"


@contextmanager
def section(title: str) -> Iterator[None]:
    """Print a section's title, then how long it took."""
    print(f"{title}:", flush=True)
    started = time.perf_counter()
    yield
    print(f"  ({time.perf_counter() - started:.0f} s)", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 and 10,000; 2,000 turns")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args(argv)
    sizes = (1_000, 10_000) if args.quick else (10_000, 100_000)
    turns, traced, chats = (2_000, 1_000, 100) if args.quick else (10_000, 2_000, 300)
    print(f"footprint benchmark ({'quick' if args.quick else 'full'}) on {machine()}")
    with tempfile.TemporaryDirectory(prefix="openip-footprint-") as folder:
        url = f"sqlite:///{Path(folder) / 'footprint.sqlite3'}"
        with section("database size per stored conversation"):
            db = open_database(url)
            db.load_demo()
            seeds = seed_conversations(db, chats, random.Random(20_250_601))
            print(f"  {len(seeds)} of {chats} chats driven through the engine left mid-procedure")
            storage(db, "SQLite", sizes, seeds)
            db.dispose()
            postgres(seeds, sizes, enabled=not args.no_postgres)
        with section("memory (SQLite, fresh process)"):
            memory(url, turns, traced)
        with section("start-up"):
            start_up(url)


def postgres(seeds: list[Seed], sizes: tuple[int, ...], *, enabled: bool) -> None:
    pg_url = postgres_database() if enabled else None
    if pg_url is None:
        print("  PostgreSQL: skipped (no server)")
        return
    pg = open_database(pg_url)
    try:
        pg.load_demo()
        storage(pg, "PostgreSQL", sizes, seeds)
    finally:
        pg.dispose()
        drop_postgres_database()


if __name__ == "__main__":
    main()
