"""Operations: the audit trail, the per-procedure statistics, the health checks, the JSON logs."""

from __future__ import annotations

import io
import json
import logging
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from bot.cli import app
from bot.database import Database, open_database
from bot.health import health_report
from bot.logs import configure_logging
from bot.replay import ChatSession
from dialogs.accounts import user_context
from dialogs.engine import DialogEngine
from dialogs.records import ConversationRecord
from dialogs.stats import EventCount, OpenFrame, compute_stats, read_stats
from domain import services
from domain.access import Actor
from domain.commands import AddSite
from domain.errors import NotFound
from domain.model import AuditEntry
from domain.services.audit_log import AuditQuery, audit_log
from domain.validation import SiteFields
from tests.conftest import ALPHA, BETA, OPERATOR_ACTOR
from tests.helpers import cancel, move, run

runner = CliRunner()
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def _three_changes(db: Database) -> None:
    """Alpha cancels then moves licences of Cabinet Azur; Beta adds a site to Hôtel des Pins."""
    run(db, cancel(quantity=2))
    run(db, move(("FPC367128",), "Agence Aix"))
    site = SiteFields("Annexe", "3 avenue des Pins", "06400", "Cannes", "04 93 00 00 09")
    run(db, lambda uow: services.add_site(uow, BETA, AddSite("CA-2001", site)))


def _audit(db: Database, query: AuditQuery, actor: Actor = OPERATOR_ACTOR) -> list[str]:
    with db.uow() as uow:
        return [r.action for r in audit_log(uow, actor, query)]


def test_the_audit_lists_the_changes_newest_first_with_before_and_after(db: Database) -> None:
    _three_changes(db)
    with db.uow() as uow:
        records = audit_log(uow, OPERATOR_ACTOR, AuditQuery())
    assert [r.action for r in records] == ["add_site", "change_licence_site", "cancel_licences"]
    moved = records[1]
    assert (moved.actor, moved.client, moved.account_ref) == (
        "revendeur-alpha",
        "Cabinet Azur",
        "CA-1001",
    )
    assert moved.before == {"FPC367128": "Siège Social"}
    assert moved.after == {"FPC367128": "Agence Aix"}


def test_the_audit_filters_by_user_by_client_name_or_account_ref_and_by_date(db: Database) -> None:
    _three_changes(db)
    with db.sessions.begin() as session:
        session.execute(
            update(AuditEntry)
            .where(AuditEntry.action == "cancel_licences")
            .values(at=datetime.now(UTC) - 48 * HOUR)
        )
    an_hour_ago = datetime.now(UTC) - HOUR
    assert _audit(db, AuditQuery(user="revendeur-beta")) == ["add_site"]
    assert _audit(db, AuditQuery(client="cabinet  AZUR")) == [
        "change_licence_site",
        "cancel_licences",
    ]
    assert _audit(db, AuditQuery(client="CA-2001")) == ["add_site"]
    assert _audit(db, AuditQuery(since=an_hour_ago)) == ["add_site", "change_licence_site"]
    assert _audit(db, AuditQuery(since=an_hour_ago, client="CA-1001")) == ["change_licence_site"]


def test_a_reseller_reads_only_the_audit_of_its_own_clients(db: Database) -> None:
    _three_changes(db)
    assert _audit(db, AuditQuery(), ALPHA) == ["change_licence_site", "cancel_licences"]
    with pytest.raises(NotFound):
        _audit(db, AuditQuery(client="Hôtel des Pins"), ALPHA)


def test_the_audit_command_prints_readable_lines_or_json_lines(sqlite_db: Database) -> None:
    run(sqlite_db, move(("FPC367128",), "Agence Aix"))
    url = str(sqlite_db.engine.url)
    text = runner.invoke(app, ["audit", "--db", url, "--user", "revendeur-alpha"])
    assert text.exit_code == 0
    assert "change_licence_site  Cabinet Azur (CA-1001)" in text.output
    assert "FPC367128: Siège Social → Agence Aix" in text.output
    lines = runner.invoke(
        app, ["audit", "--db", url, "--json", "--since", "1d"]
    ).output.splitlines()
    assert json.loads(lines[0])["after"] == {"FPC367128": "Agence Aix"}
    unknown = runner.invoke(app, ["audit", "--db", url, "--client", "Nobody"])
    assert unknown.exit_code == 1


def test_a_procedure_idle_past_the_threshold_is_abandoned_at_its_step() -> None:
    events = [
        EventCount("add_site", "started", "mode", 4),
        EventCount("add_site", "completed", "a_confirm", 1),
        EventCount("add_site", "cancelled", "a_street", 1),
    ]
    frames = [
        OpenFrame("add_site", "a_city", NOW - 2 * HOUR),
        OpenFrame("add_site", "a_city", NOW - 3 * HOUR),
        OpenFrame("add_site", "a_name", NOW - timedelta(minutes=5)),
    ]
    (stats,) = compute_stats(events, frames, now=NOW, idle=HOUR)
    assert (stats.started, stats.completed, stats.cancelled) == (4, 1, 1)
    assert (stats.abandoned, stats.under_way) == (2, 1)
    assert stats.abandoned_at == {"a_city": 2}
    assert stats.cancelled_at == {"a_street": 1}


def _chat(db: Database, chat: str, handle: str = "revendeur-alpha") -> ChatSession:
    return ChatSession(DialogEngine(db.sessions), chat, user_context(db.sessions, handle, None))


def _make_idle(db: Database, chat: str, hours: float) -> None:
    with db.sessions.begin() as session:
        stamp = datetime.now(UTC) - timedelta(hours=hours)
        session.execute(
            update(ConversationRecord)
            .where(ConversationRecord.chat_key == chat)
            .values(updated_at=stamp)
        )


def test_stats_count_started_completed_cancelled_and_abandoned_at_their_step(db: Database) -> None:
    done = _chat(db, "s:done")
    done.say("/menu")
    for label in ("Résilier des licences", "Le faire pour moi", "Cabinet Azur", "^Licence full —"):
        done.press(label)
    done.press("^2$")
    done.press("Confirmer")
    stopped = _chat(db, "s:stopped", "helpdesk")
    stopped.say("/menu")
    stopped.press("Résilier des licences")
    stopped.press("Arrêter")
    for chat in ("s:left", "s:busy"):
        session = _chat(db, chat)
        session.say("/menu")
        session.press("Changer le site")
        session.press("Le faire pour moi")
    _make_idle(db, "s:left", hours=2)
    with db.sessions() as reading:
        table = {s.procedure: s for s in read_stats(reading, idle=HOUR)}
    cancelling, moving = table["cancel_licences"], table["change_licence_site"]
    assert (cancelling.started, cancelling.completed, cancelling.cancelled) == (2, 1, 1)
    assert (cancelling.abandoned, cancelling.under_way) == (0, 0)
    assert (moving.started, moving.abandoned, moving.under_way) == (2, 1, 1)
    assert list(moving.abandoned_at) == ["a_client"]
    assert sum(cancelling.cancelled_at.values()) == 1
    assert table["add_site"].started == 0


def test_the_stats_command_shows_where_people_abandon(sqlite_db: Database) -> None:
    session = _chat(sqlite_db, "s:left")
    session.say("/menu")
    session.press("Changer le site")
    session.press("Le faire pour moi")
    _make_idle(sqlite_db, "s:left", hours=3)
    url = str(sqlite_db.engine.url)
    result = runner.invoke(app, ["stats", "--db", url, "--idle-minutes", "90"])
    assert result.exit_code == 0
    assert "change_licence_site — abandoned at: a_client (1)" in result.output
    rows = runner.invoke(app, ["stats", "--db", url, "--json", "--since", "1d"]).output.splitlines()
    moving = next(r for r in map(json.loads, rows) if r["procedure"] == "change_licence_site")
    assert moving["abandoned"] == 1


class _FakeBotApi(BaseHTTPRequestHandler):
    """Answers ``getMe`` for the token ``123:good`` only."""

    def do_GET(self) -> None:
        good = self.path == "/bot123:good/getMe"
        body = {"ok": True, "result": {"username": "openip_test_bot"}} if good else {"ok": False}
        data = json.dumps(body).encode()
        self.send_response(200 if good else 401)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def bot_api() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _FakeBotApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/bot"
    server.shutdown()
    server.server_close()


def _statuses(report: dict[str, object]) -> dict[str, str]:
    return {c["name"]: c["status"] for c in report["checks"]}  # type: ignore[attr-defined]


def test_health_is_ok_on_the_test_database_and_a_bot_api_that_knows_the_token(
    db: Database, bot_api: str
) -> None:
    report = health_report(db.engine, token="123:good", api_url=bot_api)
    assert report["status"] == "ok"
    assert _statuses(report) == {"database": "ok", "schema": "ok", "bot_api": "ok"}
    assert "@openip_test_bot" in json.dumps(report)


def test_health_fails_on_a_rejected_token_without_writing_the_token(bot_api: str) -> None:
    report = health_report("sqlite://", token="123:bad", api_url=bot_api)
    assert _statuses(report)["bot_api"] == "failed"
    assert "123:bad" not in json.dumps(report)


def test_a_telegram_outage_is_reported_but_leaves_the_instance_live_and_ready(
    db: Database,
) -> None:
    report = health_report(db.engine, token="123:good", api_url="http://127.0.0.1:1/bot", timeout=1)
    assert _statuses(report) == {"database": "ok", "schema": "ok", "bot_api": "failed"}
    assert (report["status"], report["live"], report["ready"]) == ("ok", True, True)


def test_health_answers_while_another_process_holds_sqlite_s_write_lock(
    sqlite_db: Database,
) -> None:
    path = sqlite_db.engine.url.database
    assert path is not None
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # a writer of another process, mid-transaction
        report = health_report(sqlite_db.engine, token=None)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert _statuses(report) == {"database": "ok", "schema": "ok", "bot_api": "skipped"}


def test_health_fails_on_a_database_that_does_not_answer() -> None:
    report = health_report("postgresql://nobody@127.0.0.1:1/none", token=None, timeout=1)
    assert report["status"] == "failed"
    assert _statuses(report) == {"database": "failed", "schema": "skipped", "bot_api": "skipped"}


def test_health_fails_on_a_schema_behind_head(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    open_database(url, migrate=False).dispose()
    with open_database(url, migrate=False).engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    report = health_report(url, token=None)
    assert _statuses(report)["schema"] == "failed"
    assert (report["live"], report["ready"]) == (True, False)
    assert runner.invoke(app, ["health", "--db", url]).exit_code == 1
    assert runner.invoke(app, ["health", "--live", "--db", url]).exit_code == 0


def test_the_health_command_exits_0_when_all_is_well_and_1_otherwise(
    sqlite_db: Database, tmp_path: Path
) -> None:
    good = runner.invoke(app, ["health", "--db", str(sqlite_db.engine.url)])
    assert good.exit_code == 0
    assert "skipped (no token)" in good.output
    missing = runner.invoke(app, ["health", "--db", f"sqlite:///{tmp_path / 'none.sqlite3'}"])
    assert missing.exit_code == 1
    assert not (tmp_path / "none.sqlite3").exists()


@pytest.fixture
def json_logs() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    level, stream = root.level, io.StringIO()
    handler = configure_logging("INFO", json=True, stream=stream)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def test_json_log_lines_parse_and_hold_the_turn_but_no_email_phone_or_token(
    sqlite_db: Database, json_logs: io.StringIO
) -> None:
    session = _chat(sqlite_db, "tg:987654321")
    session.say("/menu")
    session.press("Ajouter un site")
    log = logging.getLogger("openip_bot.test")
    log.info("conflict on chat %s", "tg:987654321")
    log.info("mail %s tel %s", "it@cabinet-azur.example", "04 91 00 00 09")
    log.info("GET https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe")
    try:
        raise ValueError("bad contact +33491000009")
    except ValueError:
        log.exception("failed")
    lines = [json.loads(line) for line in json_logs.getvalue().splitlines()]
    turns = [line for line in lines if line["message"] == "turn"]
    assert len(turns) == 2
    assert set(turns[-1]) >= {
        "time",
        "level",
        "logger",
        "chat",
        "user",
        "procedure",
        "step",
        "duration_ms",
    }
    assert turns[-1]["procedure"] == "add_site"
    conflict = next(line["message"] for line in lines if line["message"].startswith("conflict"))
    assert conflict == f"conflict on chat chat:{turns[-1]['chat']}"
    written = json_logs.getvalue()
    for secret in ("987654321", "it@cabinet-azur", "04 91 00 00 09", "+33491000009", "AAHdqTcv"):
        assert secret not in written
