"""``openip-bot run`` as a process: long polling, webhook with its secret token, no token."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from sqlalchemy import select

from bot.database import Database
from dialogs.records import ProcessedUpdate
from tests.e2e.fake_bot_api import TOKEN, FakeBotApi
from tests.e2e.people import Person

OPENIP_BOT = str(Path(sys.executable).with_name("openip-bot"))
SECRET = "the-right-secret"


def _environment(database: Database, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENIP_BOT_")}
    env["OPENIP_BOT_DATABASE_URL"] = database.engine.url.render_as_string(hide_password=False)
    env.update({f"OPENIP_BOT_{k.upper()}": v for k, v in settings.items()})
    return env


@asynccontextmanager
async def _running(
    api: FakeBotApi, database: Database, cwd: Path, ready: Callable[[], bool], **settings: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    """``openip-bot run`` until it is ready; stopped with SIGTERM as a service manager would."""
    env = _environment(database, token=TOKEN, api_url=api.base_url, **settings)
    process = await asyncio.create_subprocess_exec(
        OPENIP_BOT, "run", cwd=cwd, env=env, stderr=asyncio.subprocess.PIPE
    )
    try:
        await api.wait_for(ready, within=60)
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        _, errors = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode == 0, errors.decode()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def test_run_polls_telegram_registers_its_commands_and_answers(
    api: FakeBotApi, linked_db: Database, alpha: Person, tmp_path: Path
) -> None:
    def polling() -> bool:
        return len(api.called("setMyCommands")) == 3 and bool(api.polled_offsets)

    async with _running(api, linked_db, tmp_path, polling):
        await api.push(alpha.message("/start"))
        await api.wait_for(lambda: bool(alpha.texts()))

    assert alpha.texts()[0].startswith("Bonjour")
    assert api.called("deleteWebhook")  # long polling: no webhook left behind


async def test_webhook_refuses_a_wrong_secret_with_403_and_answers_a_press_in_its_reply(
    api: FakeBotApi, linked_db: Database, alpha: Person, tmp_path: Path
) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    settings = {
        "webhook_url": url,
        "webhook_secret": SECRET,
        "webhook_port": str(port),
        "webhook_listen": "127.0.0.1",
        "health_port": str(_free_port()),  # not the default (webhook port + 1): it may be taken
    }
    async with (
        _running(api, linked_db, tmp_path, lambda: bool(api.called("setWebhook")), **settings),
        httpx.AsyncClient() as client,
    ):

        replies: list[bytes] = []

        async def post(update: dict[str, object], secret: str | None) -> int:
            headers = {"Content-Type": "application/json"}
            if secret is not None:
                headers["X-Telegram-Bot-Api-Secret-Token"] = secret
            for _ in range(100):  # the server may still be binding its port
                try:
                    response = await client.post(url, content=json.dumps(update), headers=headers)
                    replies.append(response.content)
                    return response.status_code
                except httpx.ConnectError:
                    await asyncio.sleep(0.05)
            raise AssertionError("the webhook server never listened")

        forged, missing, right = (
            alpha.message("/aide"),
            alpha.message("/annuler"),
            alpha.message("/start"),
        )
        assert await post(forged, "a-wrong-secret") == 403
        assert await post(missing, None) == 403
        assert await post(right, SECRET) == 200
        await api.wait_for(lambda: bool(alpha.texts()))
        assert await post(right, SECRET) == 200  # Telegram retrying a delivery
        assert await post(alpha.message("/menu"), SECRET) == 200
        await api.wait_for(lambda: len(alpha.texts()) == 2)
        press = alpha.press("Résilier des licences")
        assert await post(press, SECRET) == 200
        answer = json.loads(replies[-1])  # the press answered in the webhook's own reply
        await api.wait_for(lambda: "guide" in alpha.texts()[-1])  # the menu, edited

    assert answer == {"method": "answerCallbackQuery",
                      "callback_query_id": press["callback_query"]["id"]}
    assert api.called("answerCallbackQuery") == []  # not a Bot API request of its own
    hook = api.called("setWebhook")[0].params
    assert hook["url"] == url
    assert hook["secret_token"] == SECRET
    welcome, menu = alpha.texts()  # nothing for the refused requests, one welcome only
    assert welcome.startswith("Bonjour")
    assert "voulez-vous que je vous guide" in menu
    with linked_db.sessions() as session:
        handled = set(session.scalars(select(ProcessedUpdate.update_id)))
    assert forged["update_id"] not in handled
    assert missing["update_id"] not in handled


async def test_run_without_a_token_exits_with_a_clear_message(
    sqlite_db: Database, tmp_path: Path
) -> None:
    process = await asyncio.create_subprocess_exec(
        OPENIP_BOT, "run", cwd=tmp_path, env=_environment(sqlite_db), stderr=asyncio.subprocess.PIPE
    )
    _, errors = await asyncio.wait_for(process.communicate(), 60)

    assert process.returncode == 2
    assert "OPENIP_BOT_TOKEN" in errors.decode()
    assert "BotFather" in errors.decode()


async def test_webhook_mode_serves_a_health_endpoint_for_the_load_balancer(
    api: FakeBotApi, linked_db: Database, tmp_path: Path
) -> None:
    port, health_port = _free_port(), _free_port()
    settings = {
        "webhook_url": f"http://127.0.0.1:{port}/telegram",
        "webhook_secret": SECRET,
        "webhook_port": str(port),
        "webhook_listen": "127.0.0.1",
        "health_port": str(health_port),
    }
    async with (
        _running(api, linked_db, tmp_path, lambda: bool(api.called("setWebhook")), **settings),
        httpx.AsyncClient() as client,
    ):
        for _ in range(100):  # the server may still be binding its port
            try:
                response = await client.get(f"http://127.0.0.1:{health_port}/health", timeout=10)
                break
            except httpx.ConnectError:
                await asyncio.sleep(0.05)
        else:
            raise AssertionError("the health endpoint never listened")
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok"
    assert {check["name"] for check in report["checks"]} >= {"database", "schema"}
