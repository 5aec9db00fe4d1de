"""A summary is a commitment: Confirmer performs exactly what it listed, or nothing.

Two people look at the same licences; the one who confirms second must never get a licence their
summary did not list, and is told, in their language, what changed, with a fresh summary.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import event

from bot.database import Database
from bot.replay import ChatSession
from domain.model import Licence, LicenceState
from tests import helpers

CANCEL_ONE = "résilie 1 licence full chez Cabinet Azur"


def _state(db: Database, licence_id: str) -> str:
    with db.sessions() as session:
        licence = session.get(Licence, licence_id)
        assert licence is not None
        return str(licence.state)


def _to_summary(session: ChatSession, text: str = CANCEL_ONE) -> None:
    session.say(text)
    session.find("Le faire pour moi") and session.press("Le faire pour moi")
    assert "FPC367106" in session.last_text(), session.last_text()


def _both_at_the_summary(db: Database) -> tuple[ChatSession, ChatSession]:
    """Alpha's reseller and the operator, each before a summary listing FPC367106."""
    alpha = helpers.chat(db, "revendeur-alpha", "t:alpha")
    operator = helpers.chat(db, "operateur", "t:op")
    _to_summary(alpha)
    _to_summary(operator)
    return alpha, operator


def test_confirming_a_summary_whose_licence_was_cancelled_meanwhile_cancels_nothing_else(
    db: Database,
) -> None:
    alpha, operator = _both_at_the_summary(db)
    stale_confirm = alpha.find("Confirmer")
    assert stale_confirm is not None

    operator.press("Confirmer")
    alpha.press("Confirmer")

    told = alpha.last_text()
    assert "C'est fait" not in told
    assert "FPC367106" in told
    assert "résiliée" in told
    assert "rien n'a été fait" in told.casefold()
    assert "FPC367105" in told  # the fresh summary
    assert _state(db, "FPC367105") == LicenceState.ACTIVE
    assert len(helpers.audit_entries(db, "cancel_licences")) == 1

    alpha.press_token(stale_confirm.token, "Confirmer")  # the old button is dead
    assert "expiré" in alpha.transcript[-2]["text"]
    assert _state(db, "FPC367105") == LicenceState.ACTIVE

    alpha.press("Confirmer")  # the fresh summary, confirmed: exactly what it lists
    assert "FPC367105" in alpha.last_text()
    assert "C'est fait" in alpha.last_text()
    assert _state(db, "FPC367105") == LicenceState.CANCELLED


def test_the_loser_is_told_in_english_when_it_speaks_english(sqlite_db: Database) -> None:
    alpha = helpers.chat(sqlite_db, "revendeur-alpha", "t:alpha")
    operator = helpers.chat(sqlite_db, "operateur", "t:op")
    alpha.say("cancel 1 full licence at Cabinet Azur")
    alpha.find("Do it for me") and alpha.press("Do it for me")
    assert "FPC367106" in alpha.last_text()
    _to_summary(operator)
    operator.press("Confirmer")
    alpha.press("Confirm")
    assert "nothing was done" in alpha.last_text().casefold()
    assert "FPC367106" in alpha.last_text()
    assert "cancelled" in alpha.last_text()
    assert _state(sqlite_db, "FPC367105") == LicenceState.ACTIVE


def test_a_move_confirmed_after_a_listed_licence_was_cancelled_moves_nothing(
    db: Database,
) -> None:
    alpha = helpers.chat(db, "revendeur-alpha", "t:alpha")
    alpha.say("passe FPC367105 et FPC367106 sur Agence Aix")
    assert "FPC367105, FPC367106" in alpha.last_text() or "FPC367106, FPC367105" in (
        alpha.last_text()
    )
    helpers.run(db, helpers.cancel(ids=("FPC367106",)))
    alpha.press("Confirmer")
    assert "C'est fait" not in alpha.last_text()
    assert "FPC367106" in alpha.last_text()
    with db.sessions() as session:
        moved = session.get(Licence, "FPC367105")
        assert moved is not None
        assert moved.site.name == "Siège Social"


def test_a_dissociation_confirmed_after_the_number_moved_dissociates_nothing(
    sqlite_db: Database,
) -> None:
    alpha = helpers.chat(sqlite_db, "revendeur-alpha", "t:alpha")
    alpha.say("dissocie le 04 91 00 00 01")
    alpha.find("Le faire pour moi") and alpha.press("Le faire pour moi")
    assert "FPC367101" in alpha.last_text()
    assert alpha.find("Confirmer") is not None
    helpers.run(sqlite_db, helpers.dissociate("04 91 00 00 01"))
    alpha.press("Confirmer")
    assert "C'est fait" not in alpha.last_text()
    assert len(helpers.audit_entries(sqlite_db, "dissociate_number")) == 1


class _Together:
    """Holds the first flush that writes a licence in each of two turns until both are there."""

    def __init__(self) -> None:
        self.barrier = threading.Barrier(2, timeout=60)
        self.held = 0
        self.lock = threading.Lock()

    def __call__(self, session: Any, *_: object) -> None:
        if not any(isinstance(o, Licence) for o in session.dirty):
            return
        with self.lock:
            self.held += 1
            hold = self.held <= 2
        if hold:
            self.barrier.wait()


@pytest.mark.postgres
def test_two_simultaneous_confirmations_on_postgresql_cancel_once_and_tell_the_loser(
    postgres_db: Database,
) -> None:
    alpha, operator = _both_at_the_summary(postgres_db)
    together = _Together()
    event.listen(postgres_db.sessions, "before_flush", together)
    threads = [
        threading.Thread(target=person.press, args=("Confirmer",), daemon=True)
        for person in (alpha, operator)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    event.remove(postgres_db.sessions, "before_flush", together)

    texts = [alpha.last_text(), operator.last_text()]
    done = [t for t in texts if "C'est fait" in t]
    assert len(done) == 1, texts
    [lost] = [t for t in texts if t not in done]
    assert "inattendue" not in lost
    assert "rien n'a été fait" in lost.casefold()
    assert "FPC367105" in lost  # the fresh summary
    assert _state(postgres_db, "FPC367106") == LicenceState.CANCELLED
    assert _state(postgres_db, "FPC367105") == LicenceState.ACTIVE
    assert len(helpers.audit_entries(postgres_db, "cancel_licences")) == 1


def test_a_summary_shown_again_after_a_digression_says_what_changed_meanwhile(
    sqlite_db: Database,
) -> None:
    alpha = helpers.chat(sqlite_db, "revendeur-alpha", "t:alpha")
    _to_summary(alpha)
    helpers.run(sqlite_db, helpers.cancel(ids=("FPC367106",)))
    alpha.say("pourquoi l'icône est grisée ?")
    told = alpha.last_text()
    assert "Depuis le récapitulatif précédent" in told
    assert "FPC367106 a été résiliée" in told
    assert "1 × Licence full (FPC367105)" in told
    alpha.say("/aide")
    assert "Depuis le récapitulatif précédent" not in alpha.last_text()  # said once
    alpha.press("Confirmer")
    assert _state(sqlite_db, "FPC367105") == LicenceState.CANCELLED
