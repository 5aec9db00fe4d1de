"""The README's operator walkthrough, run as it stands: from an empty PostgreSQL to a running bot
(``openip-bot run`` polling the fake Bot API) that answers the linked reseller on her data."""

from __future__ import annotations

import asyncio
import shlex
import signal
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot.database import open_database
from domain.model import BotUser
from tests.e2e.fake_bot_api import TOKEN, FakeBotApi
from tests.e2e.instances import OPENIP_BOT, WITHIN, environment, free_port
from tests.e2e.people import Person

pytestmark = pytest.mark.postgres
README = Path(__file__).resolve().parents[2] / "README.md"


def _block_after(marker: str, fence: str) -> str:
    text = README.read_text(encoding="utf-8").split(marker, 1)[1]
    return text.split(fence, 1)[1].split("```", 1)[0]


def walkthrough() -> list[list[str]]:
    """The commands of the walkthrough, one list of words a line, comments dropped."""
    block = _block_after("<!-- operator-walkthrough", "```sh\n")
    return [words for line in block.splitlines() if (words := shlex.split(line, comments=True))]


async def _command(words: list[str], env: dict[str, str], cwd: Path) -> str:
    process = await asyncio.create_subprocess_exec(
        OPENIP_BOT,
        *words,
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, (words, output.decode())
    return output.decode()


async def test_the_readme_walkthrough_takes_an_empty_postgresql_to_a_bot_serving_a_reseller(
    api: FakeBotApi, empty_postgres: str, tmp_path: Path
) -> None:
    (tmp_path / "data.jsonl").write_text(_block_after("## Data in and out", "```json\n"), "utf-8")
    values = {"OPENIP_BOT_DATABASE_URL": empty_postgres, "OPENIP_BOT_TOKEN": TOKEN}
    env = environment(api_url=api.base_url)  # the fake Telegram instead of the real one
    steps = walkthrough()
    assert steps[-1] == ["openip-bot", "run"]
    said: dict[str, str] = {}
    jeanne = 0
    for words in steps[:-1]:
        if words[0] == "export":
            name = words[1].split("=", 1)[0]
            env[name] = values[name]
            continue
        assert words[0] == "openip-bot"
        said[" ".join(words[1:])] = await _command(words[1:], env, tmp_path)
        if words[1:3] == ["users", "link"]:
            jeanne = int(words[4])
    assert (
        "dry run: nothing written" in said["import data.jsonl"]
        or "imported" in said["import data.jsonl"]
    )
    assert "Alpha Télécom" in said["resellers list"]
    assert "@" in said["health"]  # the Bot API (fake) answered getMe
    person = Person(api, jeanne, "Jeanne")
    health = free_port()  # long polling serves /health/* when a port is set (the image does)
    env["OPENIP_BOT_HEALTH_PORT"] = str(health)
    process = await asyncio.create_subprocess_exec(
        OPENIP_BOT, "run", cwd=tmp_path, env=env, stderr=asyncio.subprocess.PIPE
    )
    try:
        await api.wait_for(lambda: bool(api.called("getUpdates")), WITHIN * 3)
        await api.push(person.message("SRV-1001"))
        await api.wait_for(lambda: any("FPC367101" in t for t in person.texts()), WITHIN * 3)
        async with httpx.AsyncClient() as client:
            base = f"http://127.0.0.1:{health}/health"
            codes = [
                (await client.get(f"{base}{path}", timeout=30)).status_code
                for path in ("/live", "/ready")
            ]
        assert codes == [200, 200]
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        _, errors = await asyncio.wait_for(process.communicate(), WITHIN * 3)
    assert process.returncode == 0, errors.decode()
    database = open_database(empty_postgres, migrate=False)
    with database.sessions() as session:
        assert list(session.scalars(select(BotUser.handle))) == ["jeanne"]  # no demo users
    database.dispose()
