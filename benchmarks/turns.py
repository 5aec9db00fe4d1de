"""Turns benchmark: ``openip-bot run`` next to a bare PTB echo bot and a PTB peer bot.

Run ``python -m benchmarks.turns [--chats 100] [--rounds 3] [--quick] [--only BOTS]
[--no-postgres] [--flood-limited] [--api-latency MS]``. Simulated people (``--chats``, 100 by
default; 20 and one round with ``--quick``) talk at the same time, without pausing, to bots in
webhook mode fed through one fake Bot API on 127.0.0.1 (no flood limiter anywhere):

- ``echo``: a bare python-telegram-bot echo bot (``benchmarks.echo_bot``), replies of the same
  shape as the assistant's;
- ``peer``: a python-telegram-bot ``ConversationHandler`` with ``PicklePersistence``
  (``benchmarks.peer_bot``) walking the same cancel-licences guide with the assistant's own texts
  and keyboards, recorded from it at the start;
- ``sqlite`` and ``postgres``: ``openip-bot run`` on SQLite and on PostgreSQL (when a server
  answers at 127.0.0.1:5432), with its flood limit off (``OPENIP_BOT_FLOOD_LIMIT=0``).

Every bot walks the guide (/start, « Résilier des licences », « Me guider », 9 × « Suivant »: 12
turns per chat); the assistant then also cancels one licence of the chat's own client in act mode
(buttons, one typed answer, « Confirmer »: 6 turns), measured apart. All bots run at once and are
driven one after another, round after round (``--rounds``), so that a load that comes and goes
on the machine touches each alike. For each: turns per second, p50 and p99 turn latency (update
posted → its reply at the fake Bot API), the bot process's CPU time per turn (from /proc), the
database server's CPU time per turn (PostgreSQL backends of the bot), the ratios to the peer and
the echo bot, and the issue's targets with a verdict. The figures of the rounds are pooled.
Then it checks that every cancellation was performed and audited once.

``--flood-limited`` adds a row: the assistant on SQLite with its default limit (Telegram's 30
messages per second over all chats). ``--api-latency`` makes every Bot API call take that long,
as a real Telegram server some distance away does.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AsyncExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.turns_data import (
    add_bench_data,
    cancellations,
    chat_of,
    guide_screens,
    postgres_database,
)
from benchmarks.turns_profile import Recording, available, summary
from benchmarks.turns_report import Row, report
from benchmarks.turns_traffic import (
    GUIDE,
    BenchBotApi,
    CpuMeter,
    Figures,
    Phase,
    Step,
    act,
    bot_process,
    process_cpu,
)
from bot.database import open_database

OPENIP_BOT = (str(Path(sys.executable).with_name("openip-bot")), "run")
ECHO_BOT = (sys.executable, "-m", "benchmarks.echo_bot")
PEER_BOT = (sys.executable, "-m", "benchmarks.peer_bot")
BOTS = ("echo", "peer", "sqlite", "postgres")
BEFORE = "-before"  # key suffix of the bots of the other tree (--compare)
WARM_UP_CHATS = 2  # extra chats played once through each bot before anything is measured


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    model = next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("model name")), "")
    return (
        f"{model or platform.machine()} × {os.cpu_count()}, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f}"


@dataclass
class Driven:
    """A running bot, its phases' figures round by round, and how its chats are played."""

    key: str
    name: str
    phase: Phase
    guide_any_button: bool = False
    acts: bool = False
    server_cpu: CpuMeter | None = None
    guide: list[Figures] = field(default_factory=list)
    act: list[Figures] = field(default_factory=list)


@dataclass(frozen=True)
class Plan:
    chats: int
    rounds: int
    bots: tuple[str, ...]
    flood_limited: bool
    profile: Path | None = None
    compare: Path | None = None  # another source tree of openip-bot, run next to this one

    def keys(self, backends: Sequence[str]) -> list[str]:
        """The bots to run, each assistant followed by the other tree's when comparing."""
        keys = []
        for key in self.bots:
            if key in BOTS[:2] or key in backends:
                keys.append(key)
            if self.compare is not None and f"{key}{BEFORE}" in backends:
                keys.append(f"{key}{BEFORE}")
        return keys

    @property
    def cancellations(self) -> int:
        """Licences each chat cancels: one per round, plus the flood-limited row's."""
        return self.rounds + (1 if self.flood_limited else 0)


def chat_ids(chats: int, *, warm_up: bool = False) -> list[int]:
    first = chats if warm_up else 0
    count = WARM_UP_CHATS if warm_up else chats
    return [chat_of(i).telegram_id for i in range(first, first + count)]


def act_scripts(ids: Sequence[int]) -> dict[int, Sequence[Step]]:
    first = chat_of(0).telegram_id
    return {i: act(chat_of(i - first).client) for i in ids}


def prepare(url: str, plan: Plan) -> list[dict[str, object]]:
    """The demo data, each chat's own data (warm-up chats included); the guide's screens."""
    database = open_database(url)
    try:
        database.load_demo()
        add_bench_data(database, plan.chats + WARM_UP_CHATS, free_licences=plan.cancellations + 1)
        return guide_screens(database, GUIDE)
    finally:
        database.dispose()


# the other tree's schema and demo data, with this tree's bench data (loaded from its file)
_PREPARE_OTHER = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("bench_turns_data", sys.argv[1])
data = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(data)
from bot.database import open_database
database = open_database(sys.argv[2])
database.load_demo()
data.add_bench_data(database, int(sys.argv[3]), free_licences=int(sys.argv[4]))
database.dispose()
"""


def prepare_other(tree: Path, url: str, plan: Plan) -> None:
    """``prepare`` with the other tree's code (its own migrations), in a process of its own."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    subprocess.run(
        [sys.executable, "-c", _PREPARE_OTHER, str(Path(__file__).with_name("turns_data.py")),
         url, str(plan.chats + WARM_UP_CHATS), str(plan.cancellations + 1)],
        cwd=tree, env=env, check=True)


def postgres_backends(url: str) -> CpuMeter:
    """CPU seconds so far of each PostgreSQL backend serving the bench database."""
    from sqlalchemy import create_engine, text

    from domain.persistence.database import normalise_url

    admin = create_engine(normalise_url(url), pool_size=1)
    name = admin.url.database

    def meter() -> dict[int, float]:
        with admin.connect() as connection:
            pids = connection.scalars(
                text("SELECT pid FROM pg_stat_activity WHERE datname = :name "
                     "AND pid <> pg_backend_pid()"), {"name": name}).all()
        return {pid: cpu for pid in pids if (cpu := process_cpu(pid)) is not None}

    return meter


async def warm_up(bot: Driven, chats: int) -> None:
    ids = chat_ids(chats, warm_up=True)
    await bot.phase.play(dict.fromkeys(ids, GUIDE))
    if bot.acts:
        await bot.phase.play(act_scripts(ids))


async def play_round(bot: Driven, chats: int, profile: Path | None = None) -> None:
    """One round of a bot: the guide walk, then (the assistant) the act walk; with ``profile``,
    each sampled by py-spy into that folder."""
    ids = chat_ids(chats)
    guide = await measured(bot, dict.fromkeys(ids, GUIDE), profile, "guide")
    bot.guide.append(guide)
    summary = f"guide {guide.per_second:6.1f} turns/s, CPU {guide.cpu_ms_per_turn or 0:5.2f} ms"
    if bot.acts:
        acted = await measured(bot, act_scripts(ids), profile, "act")
        bot.act.append(acted)
        summary += (f"; act {acted.per_second:6.1f} turns/s, "
                    f"CPU {acted.cpu_ms_per_turn or 0:5.2f} ms")
    print(f"    {bot.name:<24} {summary}  ({load()})", flush=True)


async def measured(
    bot: Driven, scripts: dict[int, Sequence[Step]], profile: Path | None, walk: str
) -> Figures:
    if profile is None or not bot.acts:
        return await bot.phase.play(scripts, bot.server_cpu)
    output = profile / f"{bot.key}-{walk}.txt"
    recording = await Recording.start(bot.phase.bot.pid, output)
    try:
        return await bot.phase.play(scripts, bot.server_cpu)
    finally:
        await recording.stop()


async def run(plan: Plan, latency: float) -> None:
    this = asyncio.current_task()
    if this is not None:  # SIGTERM unwinds like Ctrl-C: bots stopped, databases dropped
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, this.cancel)
    api = BenchBotApi(latency)
    await api.start()
    try:
        with tempfile.TemporaryDirectory(prefix="openip-turns-") as name, databases(
            Path(name), plan
        ) as urls:
            try:
                await measure(api, Path(name), plan, urls)
            except Exception:
                print(tails(Path(name)), file=sys.stderr)
                raise
    finally:
        await api.stop()


@contextmanager
def databases(folder: Path, plan: Plan) -> Iterator[dict[str, str]]:
    """The assistants' databases (SQLite in ``folder``; PostgreSQL when asked and a server
    answers), one per assistant, dropped afterwards."""
    urls = {"sqlite": f"sqlite:///{folder / 'turns.sqlite3'}"}
    if plan.compare is not None:
        urls[f"sqlite{BEFORE}"] = f"sqlite:///{folder / 'before.sqlite3'}"
    if "postgres" not in plan.bots:
        yield urls
        return
    with postgres_database() as url, postgres_database(
        "before" if plan.compare is not None else None
    ) as before:
        if url is None:
            print("PostgreSQL: skipped (no server answers at 127.0.0.1:5432)", flush=True)
        else:
            urls["postgres"] = url
            if before is not None:
                urls[f"postgres{BEFORE}"] = before
        yield urls


async def measure(api: BenchBotApi, folder: Path, plan: Plan, urls: dict[str, str]) -> None:
    started_at = time.perf_counter()
    screens = []
    for key, url in urls.items():
        if key.endswith(BEFORE) and plan.compare is not None:
            await asyncio.to_thread(prepare_other, plan.compare, url, plan)
        else:
            screens = await asyncio.to_thread(prepare, url, plan)
        print(f"  {key}: data loaded ({time.perf_counter() - started_at:.1f} s)", flush=True)
    if not screens:  # no assistant asked for: the screens come from a scratch database
        screens = await asyncio.to_thread(
            prepare, f"sqlite:///{folder / 'screens.sqlite3'}", plan)
    screens_file = folder / "screens.json"
    screens_file.write_text(json.dumps(screens, ensure_ascii=False))
    commands: dict[str, tuple[Sequence[str], dict[str, str], dict[str, str]]] = {
        "echo": (ECHO_BOT, {}, {}),
        "peer": (PEER_BOT, {"PEER_BOT_SCREENS": str(screens_file),
                            "PEER_BOT_STATE": str(folder / "peer.pickle")}, {}),
    }
    names = {"echo": "echo bot (PTB)", "peer": "peer (PTB + pickle)"}
    for key, url in urls.items():
        other = {"PYTHONPATH": str(plan.compare)} if key.endswith(BEFORE) and plan.compare else {}
        commands[key] = (OPENIP_BOT, other, {"database_url": url, "flood_limit": "0"})
        backend = "PostgreSQL" if key.startswith("postgres") else "SQLite"
        names[key] = f"openip-bot{' before' if other else ''}, {backend}"
    async with AsyncExitStack() as stack:
        bots: list[Driven] = []
        for key in plan.keys(list(urls)):
            command, extra_env, settings = commands[key]
            log = folder / f"{key}.log"
            bot = await stack.enter_async_context(
                bot_process(api, command, folder, log, extra_env, **settings))
            meter = postgres_backends(urls[key]) if key.startswith("postgres") else None
            driven = Driven(key, names[key], Phase(api, bot, any_button=key == "echo"),
                            acts=key in urls, server_cpu=meter)
            await warm_up(driven, plan.chats)
            bots.append(driven)
        print(f"  {len(bots)} bots started and warmed up "
              f"({time.perf_counter() - started_at:.1f} s; {load()})", flush=True)
        for number in range(plan.rounds):
            print(f"  round {number + 1} of {plan.rounds}", flush=True)
            last = number == plan.rounds - 1
            for driven in bots:
                await play_round(driven, plan.chats, plan.profile if last else None)
    rows = [Row(b.name, "guide", Figures.pooled(b.guide)) for b in bots]
    rows += [Row(b.name, "act", Figures.pooled(b.act)) for b in bots if b.act]
    if plan.flood_limited and "sqlite" in urls:
        rows.append(await flood_limited(api, folder, urls["sqlite"], plan))
    print()
    print(report(rows, plan.chats, plan.rounds), flush=True)
    if plan.profile is not None:
        for collapsed in sorted(plan.profile.glob("*.txt")):
            print(f"\n{summary(collapsed)}", flush=True)
    for key, url in urls.items():
        check(key, url, (plan.chats * plan.rounds) + WARM_UP_CHATS
              + (plan.chats if plan.flood_limited and key == "sqlite" else 0))


async def flood_limited(api: BenchBotApi, folder: Path, url: str, plan: Plan) -> Row:
    """The assistant on SQLite with its default flood limit: one round of guide then act."""
    log = folder / "sqlite-limited.log"
    async with bot_process(api, OPENIP_BOT, folder, log, None, database_url=url,
                           flood_limit="30") as bot:
        phase = Phase(api, bot, any_button=False)
        ids = chat_ids(plan.chats)
        guide = await phase.play(dict.fromkeys(ids, GUIDE))
        acted = await phase.play(act_scripts(ids))
    return Row("openip-bot, SQLite, 30 msg/s", "both", Figures.pooled([guide, acted]))


def tails(folder: Path, lines: int = 40) -> str:
    """Each bot's log when a run fails: its warnings and errors, then its last lines."""
    notable = re.compile(r"ERROR|WARNING|Traceback|Error:|conflict|locked", re.IGNORECASE)
    parts = []
    for log in sorted(folder.glob("*.log")):
        text = log.read_text(encoding="utf-8", errors="replace").splitlines()
        parts += [f"--- {log.name}: warnings and errors ---",
                  *[ln for ln in text if notable.search(ln)][-lines:],
                  f"--- {log.name}: last lines ---", *text[-10:]]
    return "\n".join(parts)


def check(key: str, url: str, expected: int) -> None:
    """Every simulated cancellation performed once, and audited once."""
    database = open_database(url, migrate=False)
    try:
        cancelled, audited = cancellations(database)
    finally:
        database.dispose()
    verdict = "ok" if cancelled == audited == expected else f"MISMATCH, expected {expected}"
    print(f"checked ({key}): {cancelled} licences cancelled, {audited} cancellations audited "
          f"({verdict})", flush=True)


def parse(argv: list[str] | None) -> tuple[Plan, float]:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--chats", type=int, default=None, help="simulated people (100)")
    parser.add_argument("--rounds", type=int, default=None, help="rounds, interleaved (3)")
    parser.add_argument("--quick", action="store_true", help="20 chats, one round")
    parser.add_argument("--only", default=",".join(BOTS),
                        help=f"bots to run, comma-separated among {', '.join(BOTS)}")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--flood-limited", action="store_true",
                        help="add the assistant with its default flood limit (30 msg/s)")
    parser.add_argument("--profile", type=Path, default=None, metavar="DIR",
                        help="sample the assistant's last round with py-spy into DIR")
    parser.add_argument("--compare", type=Path, default=None, metavar="TREE",
                        help="also run openip-bot from another source tree (PYTHONPATH=TREE), "
                        "on databases of its own, interleaved with this one")
    parser.add_argument("--api-latency", type=float, default=0.0, metavar="MS",
                        help="delay of every Bot API call (0: a local fake API)")
    args = parser.parse_args(argv)
    bots = tuple(b for b in BOTS if b in args.only.split(","))
    if args.no_postgres:
        bots = tuple(b for b in bots if b != "postgres")
    unknown = set(args.only.split(",")) - set(BOTS)
    if unknown:
        parser.error(f"unknown bots: {', '.join(sorted(unknown))}")
    plan = Plan(
        chats=args.chats or (20 if args.quick else 100),
        rounds=args.rounds or (1 if args.quick else 3),
        bots=bots,
        flood_limited=args.flood_limited,
        profile=args.profile,
        compare=args.compare.resolve() if args.compare else None,
    )
    if plan.profile is not None:
        if not available():
            parser.error("--profile needs py-spy (pip install py-spy)")
        plan.profile.mkdir(parents=True, exist_ok=True)
    return plan, args.api_latency / 1000


def main(argv: list[str] | None = None, *, out: Callable[[str], None] = print) -> None:
    plan, latency = parse(argv)
    out(f"turns benchmark on {machine()}; {load()} before")
    out(f"webhook mode, {plan.chats} chats at once without pause, {plan.rounds} interleaved "
        f"round(s), Bot API latency {latency * 1000:g} ms")
    started_at = time.perf_counter()
    try:
        asyncio.run(run(plan, latency))
    except (KeyboardInterrupt, asyncio.CancelledError):
        out("interrupted: the bots were stopped and the benchmark's databases removed")
        raise SystemExit(130) from None
    out(f"({time.perf_counter() - started_at:.0f} s; {load()} after)")


if __name__ == "__main__":
    main()
