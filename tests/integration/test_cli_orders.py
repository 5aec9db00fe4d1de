"""``openip-bot orders …`` as an operator uses it: list, show, sign, withdraw, expire."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from bot.cli import app
from bot.database import Database
from domain.model import Order, utcnow
from tests.helpers import audit_entries, details, pack, run
from tests.integration.test_starter_pack_orders import GARAGE

runner = CliRunner()


def _url(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def _orders(db: Database, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["orders", *args, "--db", _url(db)])
    return result.exit_code, result.output


def test_orders_list_prints_one_json_object_a_line_scoped_and_by_state(
    sqlite_db: Database,
) -> None:
    ref = run(sqlite_db, pack("SRV-1002", GARAGE)).ref
    code, output = _orders(sqlite_db, "list", "--json")
    assert code == 0
    [line] = [json.loads(text) for text in output.splitlines()]
    assert set(line) == {
        "ref",
        "offer",
        "service",
        "client",
        "state",
        "placed_by",
        "placed_at",
        "contact",
    }
    assert (line["ref"], line["state"], line["placed_by"], line["contact"]) == (
        ref,
        "awaiting_signature",
        "revendeur-alpha",
        GARAGE,
    )
    assert _orders(sqlite_db, "list", "--json", "--as", "revendeur-beta") == (0, "")
    assert _orders(sqlite_db, "list", "--json", "--state", "final") == (0, "")
    code, output = _orders(sqlite_db, "list", "--state", "signed")
    assert code == 1
    assert "invalid state 'signed'" in output


def test_orders_show_says_where_the_order_stands(sqlite_db: Database) -> None:
    ref = run(sqlite_db, pack("SRV-1002", GARAGE)).ref
    code, output = _orders(sqlite_db, "show", ref.lower(), "--lang", "en")
    assert code == 0
    assert f"Order {ref} — Garage du Port, service SRV-1002" in output
    assert "to be sent from MyOpenIP" in output
    code, output = _orders(sqlite_db, "show", ref, "--json")
    data = json.loads(output)
    assert (data["state"], data["request"]["channel"], data["request"]["sent_at"]) == (
        "awaiting_signature",
        "portal",
        None,
    )
    assert _orders(sqlite_db, "show", ref, "--as", "revendeur-beta")[0] == 1


def test_orders_sign_makes_the_order_final_and_refuses_it_twice(sqlite_db: Database) -> None:
    ref = run(sqlite_db, pack("SRV-1002", GARAGE)).ref
    code, output = _orders(sqlite_db, "sign", ref)
    assert code == 0
    assert f"{ref} final (client_signature, by operateur)" in output
    assert details(sqlite_db, "SRV-1002").state == "Résilié"
    code, output = _orders(sqlite_db, "sign", ref)
    assert code == 1
    assert "has ended (final): nothing changed" in output
    assert len(audit_entries(sqlite_db, "record_client_signature")) == 1


@pytest.mark.parametrize("handle", ["operateur", "revendeur-alpha"])
def test_orders_withdraw_puts_the_service_back(sqlite_db: Database, handle: str) -> None:
    ref = run(sqlite_db, pack("SRV-1002", GARAGE)).ref
    code, output = _orders(sqlite_db, "withdraw", ref, "--as", handle)
    assert (code, f"{ref} withdrawn" in output) == (0, True)
    assert details(sqlite_db, "SRV-1002").state == "Actif"


def test_orders_expire_ends_only_the_orders_past_their_time(sqlite_db: Database) -> None:
    ref = run(sqlite_db, pack("SRV-1002", GARAGE)).ref
    assert _orders(sqlite_db, "expire")[0] == 0
    assert details(sqlite_db, "SRV-1002").state == "Résiliation en cours"
    with sqlite_db.sessions.begin() as session:
        placed = utcnow() - timedelta(days=31)
        session.execute(update(Order).where(Order.ref == ref).values(created_at=placed))
    code, output = _orders(sqlite_db, "expire")
    assert code == 0
    assert f"{ref} expired (unsigned_after_30_days, by openip-bot)" in output
    assert details(sqlite_db, "SRV-1002").state == "Actif"


@pytest.mark.parametrize(("url", "mail"), [(None, False), ("", False), ("smtp://mx:25", True)])
def test_the_chat_says_e_mail_is_sent_only_when_an_smtp_server_is_set(
    url: str | None, mail: bool
) -> None:
    from bot.cli_orders import configure_dialogs
    from bot.settings import Settings
    from dialogs.order_settings import OrderSettings, configure_orders, order_settings

    before = order_settings()
    try:
        configure_dialogs(Settings(smtp_url=url, order_ttl_days=12))
        assert order_settings() == OrderSettings(mail=mail, ttl_days=12)
    finally:
        configure_orders(before)
