"""Bot users: adding, inviting, linking, listing and revoking, audited; and their command line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli_users import users_app
from bot.database import Database
from domain.access import OPERATOR
from domain.errors import (
    Forbidden,
    InvalidField,
    InviteRefused,
    NotFound,
    TelegramAccountTaken,
    UserExists,
    UserRevoked,
)
from domain.model import AuditEntry, Role
from domain.persistence.records import InviteToken
from domain.services.users import (
    add_user,
    find_by_telegram,
    hash_token,
    invite_user,
    link_telegram,
    list_users,
    redeem_invite,
    revoke_user,
)
from tests.conftest import ALPHA, HELPDESK

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def _actions(db: Database, handle: str) -> list[str]:
    with db.sessions() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [e.action for e in entries if handle in e.objects]


def _linked(db: Database, telegram_id: int) -> str | None:
    with db.sessions() as session:
        user = find_by_telegram(session, telegram_id)
        return user.handle if user else None


def test_an_operator_adds_a_reseller_user_of_a_known_reseller(db: Database) -> None:
    with db.uow() as uow:
        user = add_user(uow, OPERATOR, "Jeanne.Alpha", Role.RESELLER, "alpha télécom")
    assert (user.handle, user.role, user.reseller) == (
        "jeanne.alpha",
        Role.RESELLER,
        "Alpha Télécom",
    )
    assert _actions(db, "jeanne.alpha") == ["add_user"]


def test_a_reseller_user_needs_its_reseller_and_others_have_none(db: Database) -> None:
    with db.uow() as uow, pytest.raises(InvalidField, match="reseller"):
        add_user(uow, OPERATOR, "jeanne", Role.RESELLER)
    with db.uow() as uow, pytest.raises(InvalidField, match="reseller"):
        add_user(uow, OPERATOR, "paul", Role.HELPDESK, "Alpha Télécom")
    with db.uow() as uow, pytest.raises(NotFound):
        add_user(uow, OPERATOR, "jeanne", Role.RESELLER, "Gamma Inconnu")


def test_a_handle_is_taken_once_and_must_be_plain(db: Database) -> None:
    with db.uow() as uow, pytest.raises(UserExists):
        add_user(uow, OPERATOR, "revendeur-alpha", Role.OPERATOR)
    with db.uow() as uow, pytest.raises(InvalidField, match="handle"):
        add_user(uow, OPERATOR, "jeanne dupont", Role.OPERATOR)


def test_only_the_operator_manages_users(db: Database) -> None:
    for actor in (ALPHA, HELPDESK):
        with db.uow() as uow, pytest.raises(Forbidden):
            add_user(uow, actor, "intrus", Role.OPERATOR)
        with db.uow() as uow, pytest.raises(Forbidden):
            invite_user(uow, actor, "revendeur-alpha", NOW)


def test_an_invitation_is_stored_hashed_and_expires_after_fifteen_minutes(db: Database) -> None:
    with db.uow() as uow:
        invite = invite_user(uow, OPERATOR, "revendeur-beta", NOW)
    assert invite.expires_at == NOW + timedelta(minutes=15)
    with db.sessions() as session:
        stored = session.scalars(select(InviteToken)).one()
    assert stored.token_hash == hash_token(invite.token) != invite.token
    assert invite.token not in stored.token_hash


def test_an_invitation_links_a_telegram_account_once(db: Database) -> None:
    with db.uow() as uow:
        token = invite_user(uow, OPERATOR, "revendeur-beta", NOW).token
    with db.uow() as uow:
        linked = redeem_invite(uow, token, 2002, NOW + timedelta(minutes=14))
    assert linked.telegram_id == 2002
    with db.uow() as uow, pytest.raises(InviteRefused, match="used"):
        redeem_invite(uow, token, 2003, NOW + timedelta(minutes=1))
    assert _linked(db, 2002) == "revendeur-beta"
    assert _linked(db, 2003) is None
    assert _actions(db, "revendeur-beta") == ["invite_user", "redeem_invite"]


def test_an_invitation_links_nothing_once_expired_or_when_unknown(db: Database) -> None:
    with db.uow() as uow:
        token = invite_user(uow, OPERATOR, "revendeur-beta", NOW).token
    with db.uow() as uow, pytest.raises(InviteRefused, match="expired"):
        redeem_invite(uow, token, 2002, NOW + timedelta(minutes=15))
    with db.uow() as uow, pytest.raises(InviteRefused, match="unknown"):
        redeem_invite(uow, "forged" + token, 2002, NOW)
    assert _linked(db, 2002) is None


def test_a_telegram_account_belongs_to_one_user_only(db: Database) -> None:
    with db.uow() as uow:
        link_telegram(uow, OPERATOR, "revendeur-alpha", 1001)
    with db.uow() as uow, pytest.raises(TelegramAccountTaken):
        link_telegram(uow, OPERATOR, "revendeur-beta", 1001)
    with db.uow() as uow:
        token = invite_user(uow, OPERATOR, "revendeur-beta", NOW).token
    with db.uow() as uow, pytest.raises(TelegramAccountTaken):
        redeem_invite(uow, token, 1001, NOW)
    assert _linked(db, 1001) == "revendeur-alpha"


def test_revoking_a_user_unlinks_it_and_voids_its_invitations(db: Database) -> None:
    with db.uow() as uow:
        link_telegram(uow, OPERATOR, "revendeur-alpha", 1001)
    with db.uow() as uow:
        token = invite_user(uow, OPERATOR, "revendeur-alpha", NOW).token
    with db.uow() as uow:
        revoked = revoke_user(uow, OPERATOR, "revendeur-alpha")
    assert not revoked.active
    assert _linked(db, 1001) is None
    with db.uow() as uow, pytest.raises(InviteRefused):
        redeem_invite(uow, token, 1001, NOW)
    with db.uow() as uow:
        again = add_user(uow, OPERATOR, "revendeur-alpha", Role.RESELLER, "Alpha Télécom")
    assert again.active
    assert again.telegram_id is None
    with db.uow() as uow:
        listed = {u.handle: u.active for u in list_users(uow)}
    assert listed["revendeur-alpha"] is True
    assert _actions(db, "revendeur-alpha")[-2:] == ["revoke_user", "add_user"]


runner = CliRunner()


@pytest.fixture
def url(sqlite_db: Database) -> str:
    return sqlite_db.engine.url.render_as_string(hide_password=False)


def test_users_add_list_link_and_revoke_from_the_command_line(url: str) -> None:
    added = runner.invoke(
        users_app,
        ["add", "jeanne", "--role", "reseller", "--reseller", "Beta Réseaux", "--db", url],
    )
    assert added.exit_code == 0, added.output
    assert runner.invoke(users_app, ["link", "jeanne", "5005", "--db", url]).exit_code == 0
    listed = runner.invoke(users_app, ["list", "--db", url]).output
    line = next(row for row in listed.splitlines() if row.startswith("jeanne"))
    assert line.split() == ["jeanne", "reseller", "Beta", "Réseaux", "5005", "active"]
    assert runner.invoke(users_app, ["revoke", "jeanne", "--db", url]).exit_code == 0
    listed = runner.invoke(users_app, ["list", "--db", url]).output
    assert next(r for r in listed.splitlines() if r.startswith("jeanne")).endswith("revoked")


def test_users_invite_prints_a_deep_link_to_the_bot(url: str) -> None:
    result = runner.invoke(
        users_app, ["invite", "revendeur-beta", "--bot-username", "@openip_bot", "--db", url]
    )
    assert result.exit_code == 0, result.output
    link = result.stdout.strip()
    assert link.startswith("https://t.me/openip_bot?start=")
    token = link.split("start=", 1)[1]
    assert len(token) >= 32
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def test_a_refused_user_command_says_why_and_fails(url: str) -> None:
    result = runner.invoke(users_app, ["add", "x", "--role", "reseller", "--db", url])
    assert result.exit_code == 1
    assert "reseller" in result.output
    result = runner.invoke(users_app, ["invite", "nobody", "--bot-username", "b", "--db", url])
    assert result.exit_code == 1
    assert "user not found: nobody" in result.output


def test_a_revoked_user_is_linked_or_invited_again_only_when_reactivated(db: Database) -> None:
    with db.uow() as uow:
        revoke_user(uow, OPERATOR, "revendeur-beta")
    with db.uow() as uow, pytest.raises(UserRevoked):
        link_telegram(uow, OPERATOR, "revendeur-beta", 2002)
    with db.uow() as uow, pytest.raises(UserRevoked):
        invite_user(uow, OPERATOR, "revendeur-beta", NOW)
    assert _linked(db, 2002) is None
    with db.uow() as uow:
        again = link_telegram(uow, OPERATOR, "revendeur-beta", 2002, reactivate=True)
    assert (again.active, again.telegram_id, again.reseller) == (True, 2002, "Beta Réseaux")
    assert _actions(db, "revendeur-beta")[-3:] == [
        "revoke_user",
        "reactivate_user",
        "link_telegram",
    ]
    with db.uow() as uow:
        revoke_user(uow, OPERATOR, "revendeur-beta")
    with db.uow() as uow:
        token = invite_user(uow, OPERATOR, "revendeur-beta", NOW, reactivate=True).token
    with db.uow() as uow:
        assert redeem_invite(uow, token, 2003, NOW).telegram_id == 2003


def test_users_link_on_a_revoked_user_says_how_to_reactivate_it(url: str) -> None:
    assert runner.invoke(users_app, ["revoke", "revendeur-beta", "--db", url]).exit_code == 0
    refused = runner.invoke(users_app, ["link", "revendeur-beta", "2002", "--db", url])
    assert refused.exit_code == 1
    assert "revendeur-beta is revoked: add --reactivate" in refused.output
    invited = runner.invoke(
        users_app, ["invite", "revendeur-beta", "--bot-username", "b", "--db", url, "--reactivate"]
    )
    assert invited.exit_code == 0, invited.output
    linked = runner.invoke(users_app, ["link", "revendeur-beta", "2002", "--db", url])
    assert linked.exit_code == 0, linked.output
    assert linked.output.split()[-2:] == ["2002", "active"]
