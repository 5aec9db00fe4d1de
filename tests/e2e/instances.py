"""``openip-bot run`` processes in webhook mode, fed as Telegram or a load balancer would."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.fake_bot_api import TOKEN, FakeBotApi

OPENIP_BOT = str(Path(sys.executable).with_name("openip-bot"))
SECRET = "shared-webhook-secret"
WITHIN = 60.0  # seconds any awaited event may take before the test fails (never a timing check)
Json = dict[str, Any]


def environment(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENIP_BOT_")}
    env.update({f"OPENIP_BOT_{k.upper()}": v for k, v in settings.items()})
    return env


async def cli(*args: str) -> None:
    process = await asyncio.create_subprocess_exec(
        OPENIP_BOT, *args, env=environment(), stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT)
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, output.decode()


async def demo_with_a_linked_reseller(url: str, telegram_id: int) -> None:
    """``openip-bot demo``, then revendeur-alpha linked with ``users link``, as an operator does."""
    await cli("demo", "--db", url)
    await cli("users", "link", "revendeur-alpha", str(telegram_id), "--db", url)


def _demo_linked(url: str, telegram_id: int) -> None:
    from bot.database import open_database
    from domain.access import OPERATOR
    from domain.services.users import link_telegram

    database = open_database(url)
    try:
        database.load_demo()
        with database.uow() as uow:
            link_telegram(uow, OPERATOR, "revendeur-alpha", telegram_id)
    finally:
        database.dispose()


async def demo_linked_quickly(url: str, telegram_id: int) -> None:
    """The same data as :func:`demo_with_a_linked_reseller`, without starting two processes."""
    await asyncio.to_thread(_demo_linked, url, telegram_id)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def eventually(condition: Callable[[], bool], what: str) -> None:
    """Return once ``condition()`` holds; fail (bounded) if it never does."""
    for _ in range(int(WITHIN / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"never happened: {what}")


@dataclass
class Instance:
    """One ``openip-bot run`` process serving its webhook on its own port."""

    url: str
    log: Path
    process: asyncio.subprocess.Process
    api: FakeBotApi  # the Telegram it serves: it performs what a webhook reply asks

    def log_lines(self) -> list[Json]:
        lines = self.log.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]

    def turns(self) -> int:
        return sum(1 for line in self.log_lines() if line["message"] == "turn")

    def ignored(self) -> int:
        return sum(1 for line in self.log_lines() if "seen before" in line["message"])


@asynccontextmanager
async def running(
    api: FakeBotApi, database_url: str, folder: Path, count: int, secret: str | None = SECRET
) -> AsyncIterator[list[Instance]]:
    """``count`` instances on one database, stopped with SIGTERM; each must exit cleanly.
    Without a ``secret`` they are given none: each derives its own from the token."""
    instances: list[Instance] = []
    webhooks = len(api.called("setWebhook"))
    try:
        for number in range(count):
            port = free_port()
            url = f"http://127.0.0.1:{port}/telegram"
            log = folder / f"instance-{number}.log"
            env = environment(
                database_url=database_url, token=TOKEN, api_url=api.base_url, webhook_url=url,
                webhook_port=str(port), webhook_listen="127.0.0.1", log_json="true",
                health_port=str(free_port()),  # not webhook port + 1: that one may be taken
                **({"webhook_secret": secret} if secret else {}))
            with log.open("wb") as sink:
                process = await asyncio.create_subprocess_exec(
                    OPENIP_BOT, "run", cwd=folder, env=env, stdout=sink, stderr=sink)
            instances.append(Instance(url, log, process, api))
        await api.wait_for(lambda: len(api.called("setWebhook")) >= webhooks + count, WITHIN)
        yield instances
    finally:
        for instance in instances:
            if instance.process.returncode is None:
                instance.process.send_signal(signal.SIGTERM)
        for instance in instances:
            try:
                await asyncio.wait_for(instance.process.wait(), WITHIN)
            except TimeoutError:
                instance.process.kill()
                await instance.process.wait()
    for instance in instances:
        assert instance.process.returncode == 0, instance.log.read_text(encoding="utf-8")


async def deliver(
    client: httpx.AsyncClient, instance: Instance, update: Json, secret: str = SECRET
) -> None:
    """What Telegram (or a load balancer) does: POST the update with the secret token."""
    assert await post(client, instance, update, secret) == 200


async def post(client: httpx.AsyncClient, instance: Instance, update: Json, secret: str) -> int:
    """POST an update as Telegram does; the status the instance answers (once it has
    handled the update: 200, or 5xx for Telegram to deliver it again later). A method call in
    the reply (a press's answer) is performed, as Telegram does."""
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret}
    for _ in range(200):  # the server may still be binding its port
        try:
            response = await client.post(instance.url, content=json.dumps(update),
                                         headers=headers, timeout=WITHIN * 3)
        except httpx.ConnectError:
            await asyncio.sleep(0.05)
            continue
        await instance.api.webhook_reply(
            response.status_code, response.headers.get("Content-Type", ""), response.content)
        return response.status_code
    raise AssertionError(f"{instance.url} never listened")


@dataclass
class Running:
    """One ``openip-bot run`` process in long-polling mode, its output in ``log``."""

    process: asyncio.subprocess.Process
    log: Path

    async def kill(self) -> None:
        """SIGKILL: no clean-up, no goodbye, as a crash or an OOM kill."""
        self.process.kill()
        await self.process.wait()

    async def exited(self) -> int:
        """Its exit code, once it has exited on its own (bounded wait)."""
        return await asyncio.wait_for(self.process.wait(), 60)

    async def stop(self) -> int:
        """SIGTERM, as a service manager stops it; its exit code."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        return await self.exited()

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


async def start_polling(api: FakeBotApi, database_url: str, folder: Path, name: str) -> Running:
    """``openip-bot run`` on ``database_url``, returned once it polls the fake Bot API."""
    polls = len(api.polled_offsets)
    env = environment(database_url=database_url, token=TOKEN, api_url=api.base_url,
                      log_json="true")
    log = folder / f"{name}.log"
    with log.open("ab") as sink:
        process = await asyncio.create_subprocess_exec(
            OPENIP_BOT, "run", cwd=folder, env=env, stdout=sink, stderr=sink)
    running = Running(process, log)
    for _ in range(3000):  # 60 s at most
        if len(api.polled_offsets) > polls or process.returncode is not None:
            return running
        await asyncio.sleep(0.02)
    await running.kill()
    raise AssertionError(f"openip-bot run never polled:\n{running.output()}")
