"""Turns benchmark: the real ``openip-bot run`` next to a bare python-telegram-bot echo bot.

Run ``python -m benchmarks.turns [--chats 100] [--quick] [--no-postgres] [--no-diagnosis]
[--api-latency MS]``. Simulated people (``--chats``, 100 by default, 20 with ``--quick``) talk at
the same time, without pausing, each through a complete guide-mode conversation (cancelling
licences: the fiche's 9 steps) then a complete act-mode one (cancelling one licence of their own
client: buttons, one typed answer, "Confirmer"), 18 turns each. Both bots are processes in
webhook mode fed by the same people through the same fake Bot API on 127.0.0.1; the echo bot
(``benchmarks.echo_bot``) answers as many turns with replies of the same shape. For SQLite, then
PostgreSQL (when a server answers at 127.0.0.1:5432), it prints for both: turns per second, p50
and p99 turn latency (update posted → its reply at the fake Bot API), the bot process's CPU time
per turn, the share of a core the load generator used, and the ratios; then checks that every
cancellation was performed and audited once.

The echo bot has no flood limiter, so the assistant is compared with its own overall limit off
(``OPENIP_BOT_FLOOD_LIMIT=0``). A further row (not with ``--quick`` or ``--no-diagnosis``) runs it
with the default, Telegram's 30 messages per second over all chats, to show what that limit
costs. ``--api-latency`` makes every Bot API call take that long, as a real Telegram server some
distance away does.

Targets: the assistant sustains at least the echo bot's turns/s, and its p99 stays within twice
the echo bot's.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.turns_data import add_bench_data, cancellations, postgres_database
from benchmarks.turns_traffic import GUIDE, BenchBotApi, Figures, Step, act, bot_process, drive
from bot.database import open_database

OPENIP_BOT = str(Path(sys.executable).with_name("openip-bot"))
ECHO_BOT = (sys.executable, "-m", "benchmarks.echo_bot")
WARM_UP_CHATS = (690_001, 690_002)  # unlinked accounts: guide mode only


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    model = next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("model name")), "")
    return (
        f"{model or platform.machine()} × {os.cpu_count()}, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def prepare(url: str, chats: int) -> dict[int, Sequence[Step]]:
    """The demo data and each chat's own data; each chat's script."""
    database = open_database(url)
    try:
        database.load_demo()
        people = add_bench_data(database, chats)
    finally:
        database.dispose()
    return {person.telegram_id: (*GUIDE, *act(person.client)) for person in people}


def line(name: str, figures: Figures) -> str:
    cpu = figures.cpu_ms_per_turn
    return (
        f"  {name:<33} {figures.turns:5d} turns {figures.seconds:5.1f} s "
        f"{figures.per_second:6.1f} turns/s  p50 {figures.p50_ms:6.0f} ms  "
        f"p99 {figures.p99_ms:6.0f} ms"
        + (f"  CPU {cpu:4.1f} ms/turn" if cpu else "")
        + f" (driver {figures.driver:.0%})"
    )


async def assistant(
    api: BenchBotApi,
    url: str,
    scripts: dict[int, Sequence[Step]],
    folder: Path,
    log: Path,
    *,
    flood_limit: float,
) -> Figures:
    api.forget()
    settings = {"database_url": url, "flood_limit": str(flood_limit)}
    async with bot_process(api, (OPENIP_BOT, "run"), folder, log, **settings) as bot:
        return await drive(api, bot, scripts, any_button=False, warm_up=WARM_UP_CHATS)


def check(url: str, expected: int) -> None:
    """Every simulated cancellation performed once, and audited once."""
    database = open_database(url, migrate=False)
    try:
        cancelled, audited = cancellations(database)
    finally:
        database.dispose()
    verdict = "ok" if cancelled == audited == expected else f"MISMATCH, expected {expected}"
    print(
        f"  checked: {cancelled} licences cancelled, {audited} cancellations audited ({verdict})",
        flush=True,
    )


async def measure_backend(
    api: BenchBotApi, label: str, url: str, chats: int, folder: Path, *, diagnose: bool
) -> None:
    """The echo bot, then the assistant, on the same traffic; both, their ratio, the checks."""
    started = time.perf_counter()
    scripts = await asyncio.to_thread(prepare, url, chats)
    print(
        f"{label}: {chats} chats × {len(next(iter(scripts.values())))} turns "
        f"(12 guide-mode + 6 act-mode; data loaded in {time.perf_counter() - started:.1f} s)",
        flush=True,
    )
    log = folder / f"{label.lower()}.log"

    api.forget()
    async with bot_process(api, ECHO_BOT, folder, log) as echo_bot:
        echo = await drive(api, echo_bot, scripts, any_button=True, warm_up=WARM_UP_CHATS)
    print(line("echo bot (PTB defaults)", echo), flush=True)
    # the echo bot has no flood limiter: compared without one (OPENIP_BOT_FLOOD_LIMIT=0)
    bot = await assistant(api, url, scripts, folder, log, flood_limit=0)
    print(line("openip-bot run, no flood limit", bot), flush=True)
    print(
        f"  {'assistant / echo':<33} turns/s × {bot.per_second / echo.per_second:.2f} "
        f"(target ≥ 1)   p99 × {bot.p99_ms / echo.p99_ms:.2f} (target ≤ 2)   "
        f"p50 × {bot.p50_ms / echo.p50_ms:.2f}"
    )
    check(url, chats)
    if diagnose:
        limited = await assistant(api, url, scripts, folder, log, flood_limit=30)
        print(line("openip-bot run, 30 msg/s (default)", limited), flush=True)
        check(url, 2 * chats)


async def run(chats: int, *, with_postgres: bool, diagnose: bool, latency: float) -> None:
    this = asyncio.current_task()
    if this is not None:  # SIGTERM unwinds like Ctrl-C: bots stopped, databases dropped
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, this.cancel)
    api = BenchBotApi(latency)
    await api.start()
    try:
        with tempfile.TemporaryDirectory(prefix="openip-turns-") as name:
            folder = Path(name)
            sqlite = f"sqlite:///{folder / 'turns.sqlite3'}"
            await measure_backend(api, "SQLite", sqlite, chats, folder, diagnose=diagnose)
            if not with_postgres:
                return
            with postgres_database() as url:
                if url is None:
                    print("PostgreSQL: skipped (no server answers at 127.0.0.1:5432)")
                    return
                await measure_backend(api, "PostgreSQL", url, chats, folder, diagnose=diagnose)
    finally:
        await api.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=None, help="simulated people (100)")
    parser.add_argument("--quick", action="store_true", help="20 chats, no diagnosis run")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--no-diagnosis", action="store_true", help="skip the run with the flood limiter lifted"
    )
    parser.add_argument(
        "--api-latency",
        type=float,
        default=0.0,
        metavar="MS",
        help="delay of every Bot API call (0: a local fake API)",
    )
    args = parser.parse_args(argv)
    chats = args.chats or (20 if args.quick else 100)
    print(f"turns benchmark on {machine()}; load average {os.getloadavg()[0]:.2f} before")
    print(
        f"webhook mode, every chat at once without pause, Bot API latency "
        f"{args.api_latency:g} ms; turn latency: update posted → its reply at the fake Bot API"
    )
    started = time.perf_counter()
    try:
        asyncio.run(
            run(
                chats,
                with_postgres=not args.no_postgres,
                diagnose=not (args.quick or args.no_diagnosis),
                latency=args.api_latency / 1000,
            )
        )
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("interrupted: the bots were stopped and the benchmark's databases removed")
        raise SystemExit(130) from None
    print(f"({time.perf_counter() - started:.0f} s; load average {os.getloadavg()[0]:.2f} after)")


if __name__ == "__main__":
    main()
