"""Demo data only where asked: the embedded default database and ``openip-bot demo``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli import app
from bot.database import open_database
from domain.model import BotUser, Reseller

runner = CliRunner()
READING = [
    ["audit"],
    ["stats"],
    ["health"],
    ["export", "-"],
    ["users", "list"],
    ["resellers", "list"],
    ["service", "SRV-1001"],
    ["intent", "résilie 2 licences"],
]


def _contents(url: str) -> tuple[list[str], list[str]]:
    database = open_database(url, migrate=False)
    try:
        with database.sessions() as session:
            users = list(session.scalars(select(BotUser.handle).order_by(BotUser.handle)))
            resellers = list(session.scalars(select(Reseller.name).order_by(Reseller.name)))
    finally:
        database.dispose()
    return users, resellers


def test_a_configured_empty_database_never_gets_demo_data(
    empty_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENIP_BOT_DATABASE_URL", empty_url)
    data = tmp_path / "zeta.jsonl"
    data.write_text(json.dumps({"kind": "reseller", "name": "Zeta"}) + "\n", "utf-8")
    script = tmp_path / "menu.jsonl"
    script.write_text('{"say": "/menu"}\n{"expect": "Que voulez-vous faire"}\n', "utf-8")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    for command in READING:
        runner.invoke(app, command)
    assert runner.invoke(app, ["chat"], input="").exit_code == 2  # no user operateur here
    assert runner.invoke(app, ["import", str(data)]).exit_code == 0
    added = runner.invoke(app, ["users", "add", "ops", "--role", "operator"])
    assert added.exit_code == 0, added.output
    assert runner.invoke(app, ["replay", str(script), "--as", "ops"]).exit_code == 0
    assert runner.invoke(app, ["chat", "--as", "ops"], input="/menu\n").exit_code == 0
    assert _contents(empty_url) == (["ops"], ["Zeta"])


def test_reading_commands_never_create_a_database_file(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite3"
    for command in READING:
        result = runner.invoke(app, [*command, "--db", f"sqlite:///{missing}"])
        assert result.exit_code == 1, (command, result.output)
        assert not missing.exists(), command
    said = runner.invoke(app, ["audit", "--db", f"sqlite:///{missing}"]).output
    assert "openip-bot db upgrade" in said


@pytest.fixture
def default_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The embedded default database, in a temporary folder instead of the user's data."""
    monkeypatch.delenv("OPENIP_BOT_DATABASE_URL", raising=False)
    url = f"sqlite:///{tmp_path / 'home' / 'openip-bot.sqlite3'}"
    monkeypatch.setattr("bot.settings.default_database_url", lambda: url)
    return url


def test_the_embedded_default_database_gets_the_demo_data_on_first_chat(default_db: str) -> None:
    result = runner.invoke(app, ["chat"], input="/menu\n")
    assert result.exit_code == 0, result.output
    users, resellers = _contents(default_db)
    assert "operateur" in users
    assert resellers == ["Alpha Télécom", "Beta Réseaux"]
    assert runner.invoke(app, ["demo", "--reset"]).exit_code == 0  # no --yes asked here


def test_demo_reset_on_a_configured_database_asks_for_yes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'prod.sqlite3'}"
    runner.invoke(app, ["resellers", "add", "Zeta", "--db", url])
    refused = runner.invoke(app, ["demo", "--reset", "--db", url])
    assert refused.exit_code == 1
    assert "--yes" in refused.output
    assert _contents(url) == ([], ["Zeta"])
    assert runner.invoke(app, ["demo", "--reset", "--yes", "--db", url]).exit_code == 0
    assert _contents(url)[1] == ["Alpha Télécom", "Beta Réseaux"]
