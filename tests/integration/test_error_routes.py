"""When another chat changed the same things first, the summary's « Confirmer » explains it
and goes back to the question to answer again; nothing is changed twice."""

from __future__ import annotations

import pytest

from bot.database import Database
from bot.replay import ChatSession
from domain.errors import Conflict
from tests import helpers


def _chat(db: Database, handle: str, chat: str) -> ChatSession:
    return helpers.chat(db, handle, chat)


def _dissociate_to_summary(session: ChatSession) -> None:
    session.say("/menu")
    session.press("Dissocier un numéro")
    session.press("Le faire pour moi")
    session.press("Cabinet Azur")
    session.press("FPC367101")
    assert "Confirm" in session.last_text()


def test_a_number_dissociated_meanwhile_by_another_chat_is_asked_again(db: Database) -> None:
    first, second = _chat(db, "revendeur-alpha", "a"), _chat(db, "operateur", "b")
    _dissociate_to_summary(first)
    _dissociate_to_summary(second)
    second.press("Confirmer")
    first.press("Confirmer")
    assert "n'est associé à aucune licence" in first.last_text()
    assert first.find("FPC367101") is None  # the question again, without that licence


def _move_to_summary(session: ChatSession) -> None:
    session.say("/menu")
    session.press("Changer le site")
    session.press("Le faire pour moi")
    session.press("Cabinet Azur")
    session.say("FPC367128")
    session.press("Agence Aix")
    assert "Confirm" in session.last_text()


def test_a_licence_cancelled_meanwhile_cannot_be_moved_and_the_licences_are_asked_again(
    db: Database,
) -> None:
    mover, canceller = _chat(db, "revendeur-alpha", "a"), _chat(db, "operateur", "b")
    _move_to_summary(mover)
    canceller.say("/menu")
    canceller.press("Résilier des licences")
    canceller.press("Le faire pour moi")
    canceller.press("Cabinet Azur")
    canceller.press("Licence full conferencing")  # one cancellable: the quantity is 1
    canceller.press("Confirmer")
    mover.press("Confirmer")
    assert "ne sont plus actives" in mover.last_text()
    assert "Quelles licences" in mover.last_text()


@pytest.mark.parametrize(
    ("module", "service", "reach"),
    [
        ("cancel_licences", "cancel_licences", "cancel"),
        ("change_licence_site", "change_licence_site", "move"),
        ("dissociate_number", "dissociate_number", "dissociate"),
    ],
)
def test_a_lost_race_says_nothing_was_done_and_shows_a_fresh_summary(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, module: str, service: str, reach: str
) -> None:
    def lose(*_args: object) -> None:
        raise Conflict()

    monkeypatch.setattr(f"dialogs.procedures.{module}.{service}", lose)
    session = _chat(sqlite_db, "revendeur-alpha", "a")
    if reach == "cancel":
        session.say("/menu")
        session.press("Résilier des licences")
        session.press("Le faire pour moi")
        session.press("Cabinet Azur")
        session.press("^Licence full —")
        session.press("^1$")
    elif reach == "move":
        _move_to_summary(session)
    else:
        _dissociate_to_summary(session)
    stale = session.find("Confirmer")
    assert stale is not None
    session.press("Confirmer")
    assert "rien n'a été fait" in session.last_text()
    fresh = session.find("Confirmer")
    assert fresh is not None
    assert fresh.token != stale.token
