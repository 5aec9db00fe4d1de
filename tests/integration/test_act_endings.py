"""Honest endings and faithful resumption: what was done is said, what was said is kept."""

from __future__ import annotations

import pytest

from bot.database import Database
from bot.replay import ChatSession
from domain.model import Licence
from tests import helpers


def _state(db: Database, licence_id: str) -> str:
    with db.sessions() as session:
        licence = session.get(Licence, licence_id)
        assert licence is not None
        return str(licence.state)


def _dissociated_within_a_cancellation(db: Database) -> ChatSession:
    """« résilie 3 licences full », then the number of FPC367101 dissociated first (confirmed)."""
    session = helpers.chat(db)
    session.say("résilie 3 licences full chez Cabinet Azur")
    session.press("Dissocier d'abord un numéro")
    session.press("FPC367101 · Licence full · 04 91 00 00 01")
    session.press("Confirmer")
    return session


def test_stopping_after_a_completed_sub_procedure_says_what_it_did(db: Database) -> None:
    session = _dissociated_within_a_cancellation(db)
    session.say("/annuler")

    told = session.last_text()
    assert "rien n'a été modifié" not in told
    assert "04 91 00 00 01" in told
    assert "FPC367101" in told
    assert "Résilier des licences" in told  # the procedure that was not done
    [entry] = helpers.audit_entries(db)
    assert entry.action == "dissociate_number"


def test_stopping_with_nothing_done_says_nothing_was_changed_and_the_audit_agrees(
    db: Database,
) -> None:
    session = helpers.chat(db)
    session.say("résilie 2 licences full chez Cabinet Azur")
    session.say("/annuler")
    assert "rien n'a été modifié" in session.last_text()
    assert helpers.audit_entries(db) == []


def test_abandoning_a_move_after_adding_a_site_says_the_site_was_created(
    sqlite_db: Database,
) -> None:
    session = helpers.chat(sqlite_db)
    session.say("passe FPC367105 sur un autre site")
    session.press("Ajouter un site")
    for answer in ("Agence Nice", "2 promenade des Anglais", "06000", "Nice"):
        session.say(answer)
    session.press("Passer")
    session.press("Confirmer")
    assert "Vers quel site" in session.last_text() or "Récapitulatif" in session.last_text()
    session.press("Annuler")

    told = session.last_text()
    assert "rien n'a été modifié" not in told
    assert "Agence Nice" in told
    assert [e.action for e in helpers.audit_entries(sqlite_db)] == ["add_site"]


def test_the_quantity_given_first_is_kept_after_dissociating_a_number(db: Database) -> None:
    session = _dissociated_within_a_cancellation(db)
    assert "Combien" not in session.last_text()
    assert "3 × Licence full (FPC367106, FPC367105, FPC367101)" in session.last_text()


def test_the_new_sites_name_given_first_is_not_asked_again(sqlite_db: Database) -> None:
    session = helpers.chat(sqlite_db)
    session.say("déplace FPC367105 sur un nouveau site Agence Toulon")
    assert "Agence Toulon" in session.last_text()
    session.press("Ajouter un site")
    assert "nom" not in session.last_text().casefold().split("?")[0]
    assert "adresse" in session.last_text().casefold()
    for answer in ("1 quai du Port", "83000", "Toulon"):
        session.say(answer)
    session.press("Passer")
    assert "Agence Toulon" in session.last_text()
    session.press("Confirmer")
    assert "FPC367105" in session.last_text()
    assert "Agence Toulon" in session.last_text()


@pytest.mark.parametrize(
    ("request_text", "confirm", "stop", "untrue"),
    [
        ("résilie 2 licences full chez Cabinet Azur", "Confirmer", "/annuler", "rien n'a été"),
        ("cancel 2 full licences for Cabinet Azur", "Confirm", "/cancel", "nothing was"),
    ],
)
def test_stopping_after_a_change_was_completed_never_says_nothing_was_changed(
    db: Database, request_text: str, confirm: str, stop: str, untrue: str
) -> None:
    session = helpers.chat(db)
    session.say(request_text)
    session.press(confirm)
    session.say(stop)  # the procedure has ended: there is nothing left to stop

    assert untrue not in session.last_text()
    assert session.find("Cabinet Azur|Résilier des licences|Cancel licences") is not None
    [entry] = helpers.audit_entries(db)
    assert entry.action == "cancel_licences"
    assert _state(db, "FPC367106") == _state(db, "FPC367105") == "cancelled"


def test_moving_a_licence_onto_the_site_it_is_on_says_nothing_moved_and_audits_nothing(
    db: Database,
) -> None:
    session = helpers.chat(db)
    session.say("je veux changer le site de licences")
    session.press("Garage du Port")
    session.press("FPC367201")
    session.press("Valider")
    session.press("Atelier")
    assert "Déjà sur ce site" in session.last_text()
    session.press("Confirmer")

    told = session.last_text()
    assert "C'est fait" not in told
    assert "déplacée" not in told
    assert "FPC367201" in told
    assert helpers.audit_entries(db, "change_licence_site") == []
