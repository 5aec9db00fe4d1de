"""Turns benchmark, traffic side: the fake Bot API, the bots as processes, the simulated people.

Each simulated person posts an update to the bot's webhook (as Telegram does), waits until the
bot's reply reaches the fake Bot API, reads the buttons of that reply, and goes on. A turn's
latency runs from the moment the update is posted to the moment its reply (the new or edited
message) reaches the fake Bot API, both read on this process's clock.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import statistics
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.fake_bot_api import TOKEN, FakeBotApi
from tests.e2e.people import Person

Json = dict[str, Any]
Step = tuple[str, str]  # ("say", text) or ("press", label pattern)
SECRET = "benchmark-webhook-secret"
ROOT = Path(__file__).resolve().parent.parent
READY_WITHIN = 60.0  # seconds for a bot to start
REPLY_WITHIN = 120.0  # seconds for any one reply: a bounded wait, never a target
PORT_TRIES = 3  # bot start-ups that found their port taken
TRIES = 5  # a turn answered "try again" is tried again, up to this many times in all
GUIDE: tuple[Step, ...] = (
    ("say", "/start"),
    ("press", "Résilier des licences"),
    ("press", "Me guider"),
    *(("press", "Suivant"),) * 9,  # steps 1 to 9, then "Procédure terminée" and the menu
)


def act(client: str) -> tuple[Step, ...]:
    """Cancel one licence of the client, by buttons and one typed answer."""
    return (
        ("press", "Résilier des licences"),
        ("press", "Le faire pour moi"),
        ("press", re.escape(client)),
        ("press", "Licence full .*"),
        ("say", "1"),
        ("press", "Confirmer"),
    )


def _transient_failures() -> tuple[str, ...]:
    """What the assistant says when a turn could not be done and may be tried again."""
    from bot.telegram.texts import text
    from dialogs.texts import say

    return (say("fr", "common.busy"), text("fr", "failure"))


class BenchBotApi(FakeBotApi):
    """The tests' fake Bot API, handing each person the messages of their chat as they come."""

    def __init__(self, latency: float = 0.0) -> None:
        super().__init__()
        self.latency = latency  # seconds each call takes, as Telegram's servers far away do
        self.inboxes: dict[int, asyncio.Queue[tuple[float, Json]]] = {}
        self.failures = _transient_failures()

    async def answer(self, method: str, params: Json) -> Any:
        if self.latency:
            await asyncio.sleep(self.latency)
        return await super().answer(method, params)

    def inbox(self, chat_id: int) -> asyncio.Queue[tuple[float, Json]]:
        """The messages sent or edited in ``chat_id`` from now on, and when each arrived."""
        return self.inboxes.setdefault(chat_id, asyncio.Queue())

    def is_failure(self, message: Json) -> bool:
        """A "try again" message: the turn was not done."""
        return str(message.get("text", "")) in self.failures

    def _sendMessage(self, params: Json) -> Json:  # noqa: N802
        return self._arrived(super()._sendMessage(params))

    def _editMessageText(self, params: Json) -> Json:  # noqa: N802
        return self._arrived(super()._editMessageText(params))

    def _arrived(self, message: Json) -> Json:
        inbox = self.inboxes.get(message["chat"]["id"])
        if inbox is not None:
            inbox.put_nowait((time.perf_counter(), message))
        return message


@dataclass(frozen=True)
class Figures:
    """What one bot did with the simulated traffic: ``cpu`` is its process's CPU seconds,
    ``driver`` the share of a core the simulated people and the fake Bot API used meanwhile."""

    turns: int
    seconds: float
    latencies: list[float]
    cpu: float | None = None
    driver: float = 0.0
    server_cpu: float | None = None  # the database server's CPU seconds (PostgreSQL)
    failed: int = 0  # tries answered "try again" (each retried)

    @property
    def cpu_ms_per_turn(self) -> float | None:
        return None if self.cpu is None else self.cpu / self.turns * 1000

    @property
    def server_ms_per_turn(self) -> float | None:
        return None if self.server_cpu is None else self.server_cpu / self.turns * 1000

    @classmethod
    def pooled(cls, rounds: Sequence[Figures]) -> Figures:
        """Several rounds as one: their turns, times and CPU added, their latencies pooled."""
        def total(values: list[float | None]) -> float | None:
            return None if any(v is None for v in values) else sum(v or 0.0 for v in values)

        seconds = sum(r.seconds for r in rounds)
        return cls(
            sum(r.turns for r in rounds), seconds, [x for r in rounds for x in r.latencies],
            total([r.cpu for r in rounds]),
            sum(r.driver * r.seconds for r in rounds) / seconds,
            total([r.server_cpu for r in rounds]),
            sum(r.failed for r in rounds),
        )

    @property
    def per_second(self) -> float:
        return self.turns / self.seconds

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p99_ms(self) -> float:
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[98] * 1000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class Bot:
    """A bot process serving its webhook."""

    url: str
    pid: int

    def cpu_seconds(self) -> float | None:
        """User + system CPU time of the process so far (Linux), else None."""
        return process_cpu(self.pid)


CpuMeter = Callable[[], dict[int, float]]  # CPU seconds so far of each process of a group


def process_cpu(pid: int) -> float | None:
    """User + system CPU seconds of a process so far, from /proc (None when unreadable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@asynccontextmanager
async def bot_process(
    api: BenchBotApi, command: Sequence[str], folder: Path, log: Path,
    extra_env: dict[str, str] | None = None, **settings: str,
) -> AsyncIterator[Bot]:
    """A bot in webhook mode on its own port, once it has set its webhook and listens; stopped
    with SIGTERM (killed if it lingers). ``settings`` become ``OPENIP_BOT_*`` variables. A port
    taken meanwhile by another program (the machine is shared) is given up for another one."""
    for attempt in range(PORT_TRIES):
        port = free_port()
        url = f"http://127.0.0.1:{port}/telegram"
        env = {k: v for k, v in os.environ.items() if not k.startswith("OPENIP_BOT_")}
        env.update({"PYTHONPATH": str(ROOT),
                    "OPENIP_BOT_TOKEN": TOKEN, "OPENIP_BOT_API_URL": api.base_url,
                    "OPENIP_BOT_WEBHOOK_URL": url, "OPENIP_BOT_WEBHOOK_PORT": str(port),
                    "OPENIP_BOT_WEBHOOK_LISTEN": "127.0.0.1",
                    "OPENIP_BOT_WEBHOOK_SECRET": SECRET})
        env.update({f"OPENIP_BOT_{k.upper()}": v for k, v in settings.items()})
        env.update(extra_env or {})
        webhooks = len(api.called("setWebhook"))
        with log.open("ab") as sink:
            process = await asyncio.create_subprocess_exec(
                *command, cwd=folder, env=env, stdout=sink, stderr=sink)
        try:
            await _started(api, process, webhooks, log)
            await _listening(port)
            break
        except RuntimeError:
            await _stop(process)
            if "Address already in use" not in _tail(log) or attempt == PORT_TRIES - 1:
                raise
    try:
        yield Bot(url, process.pid)
    finally:
        await _stop(process)


async def _stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), 30)
    except TimeoutError:
        process.kill()
        await process.wait()


async def _started(
    api: BenchBotApi, process: asyncio.subprocess.Process, webhooks: int, log: Path
) -> None:
    """Wait until the bot sets its webhook; fail with its log if it exits or never does."""
    ready = asyncio.ensure_future(
        api.wait_for(lambda: len(api.called("setWebhook")) > webhooks, READY_WITHIN))
    exited = asyncio.ensure_future(process.wait())
    await asyncio.wait({ready, exited}, return_when=asyncio.FIRST_COMPLETED)
    exited.cancel()
    if not ready.done() or ready.exception() is not None:
        ready.cancel()
        raise RuntimeError("the bot did not start:\n" + _tail(log))


def _tail(log: Path, lines: int = 15) -> str:
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


async def _listening(port: int) -> None:
    for _ in range(int(READY_WITHIN / 0.05)):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        await writer.wait_closed()
        return
    raise RuntimeError(f"nothing listens on port {port}")


async def _post(api: BenchBotApi, client: httpx.AsyncClient, url: str, update: Json) -> None:
    """Deliver an update as Telegram does, and perform the method call the webhook's reply may
    carry (the assistant answers button presses so; PTB's own webhook never does)."""
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
    response = await client.post(url, content=json.dumps(update), headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"webhook answered {response.status_code}")
    await api.webhook_reply(
        response.status_code, response.headers.get("Content-Type", ""), response.content)


async def converse(
    api: BenchBotApi, client: httpx.AsyncClient, url: str, person: Person,
    steps: Sequence[Step], *, any_button: bool, shown: Json | None = None,
) -> tuple[list[float], int, Json | None]:
    """Play the steps as a person: each after the reply to the previous one (its message with
    a keyboard), starting from the keyboard ``shown`` (the last one of a previous phase).
    ``any_button`` presses the first button shown (the echo bot's labels mean nothing). A
    "try again" answer is retried at once, as a person would. The latencies (first try to the
    reply), how many tries failed, and the last keyboard."""
    latencies: list[float] = []
    failed = 0
    inbox = api.inbox(person.chat_id)
    for kind, value in steps:
        while not inbox.empty():  # what came after the previous step's reply
            inbox.get_nowait()
        posted = time.perf_counter()
        for _attempt in range(TRIES):
            update = _update(person, kind, value, shown, any_button=any_button)
            await _post(api, client, url, update)
            outcome = await _reply(api, inbox, person.chat_id, kind, value)
            if outcome is not None:
                arrived, shown = outcome
                break
            failed += 1
        else:
            raise RuntimeError(f"chat {person.chat_id}: {kind} {value!r} failed {TRIES} times")
        latencies.append(arrived - posted)
    return latencies, failed, shown


def _update(person: Person, kind: str, value: str, shown: Json | None, *,
            any_button: bool) -> Json:
    if kind == "say":
        return person.message(value)
    if shown is None:
        raise RuntimeError("a press before any keyboard")
    if any_button:
        return person.press_data(shown["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
                                 shown)
    return person.press(value, shown)


async def _reply(
    api: BenchBotApi, inbox: asyncio.Queue[tuple[float, Json]], chat_id: int, kind: str,
    value: str,
) -> tuple[float, Json] | None:
    """The next message with a keyboard, or None after a "try again" message."""
    while True:
        try:
            arrived, message = await asyncio.wait_for(inbox.get(), REPLY_WITHIN)
        except TimeoutError:
            raise RuntimeError(f"chat {chat_id}: no reply with a keyboard to {kind} {value!r} "
                               f"within {REPLY_WITHIN:g} s") from None
        if message.get("reply_markup"):
            return arrived, message
        if api.is_failure(message):
            return None


class Phase:
    """Every chat playing its script at once, measured: the bot's CPU time (and, through
    ``server_cpu``, its database server's), the wall time, each turn's latency."""

    def __init__(self, api: BenchBotApi, bot: Bot, *, any_button: bool) -> None:
        self.api, self.bot, self.any_button = api, bot, any_button
        self.shown: dict[int, Json | None] = {}  # each chat's last keyboard, phase to phase

    async def play(
        self, scripts: dict[int, Sequence[Step]], server_cpu: CpuMeter | None = None
    ) -> Figures:
        self.api.calls.clear()  # the fake API's call log would only grow
        limits = httpx.Limits(max_connections=len(scripts) + 8, max_keepalive_connections=None)
        async with httpx.AsyncClient(limits=limits, timeout=REPLY_WITHIN) as client:
            server_before = server_cpu() if server_cpu else None
            cpu_before, started, own = (
                self.bot.cpu_seconds(), time.perf_counter(), time.process_time())
            done = await asyncio.gather(*(
                converse(self.api, client, self.bot.url, Person(self.api, chat_id), steps,
                         any_button=self.any_button, shown=self.shown.get(chat_id))
                for chat_id, steps in scripts.items()))
            seconds, cpu_after = time.perf_counter() - started, self.bot.cpu_seconds()
            driver = (time.process_time() - own) / seconds
            server_after = server_cpu() if server_cpu else None
        for chat_id, (_, _, shown) in zip(scripts, done, strict=True):
            self.shown[chat_id] = shown
        latencies = [latency for chat, _, _ in done for latency in chat]
        failed = sum(f for _, f, _ in done)
        cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
        server = (
            None if server_before is None or server_after is None
            else sum(after - server_before.get(pid, 0.0) for pid, after in server_after.items())
        )
        return Figures(len(latencies), seconds, latencies, cpu, driver, server, failed)
