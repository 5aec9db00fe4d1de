"""Named means named: what the user wrote is resolved or reported, never silently replaced."""

from __future__ import annotations

import pytest

from bot.database import Database
from bot.replay import ChatSession
from tests import helpers


def _act(session: ChatSession, text: str) -> str:
    session.say(text)
    if session.find("Le faire pour moi") is not None:
        session.press("Le faire pour moi")
    return session.last_text()


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("résilier une licence full chez Cabinet Azur", "Cabinet Azur"),
        ("résilier une licence full chez Cabinet Zeta", "Cabinet Zeta"),
        ("résilie la licence FPC367105", "FPC367105"),
        ("résilie une licence du service SRV-1001", "SRV-1001"),
        ("ajoute un site Toulon chez Cabinet Azur", "Cabinet Azur"),
    ],
)
def test_what_another_reseller_owns_is_reported_and_never_replaced_by_ones_own(
    sqlite_db: Database, text: str, named: str
) -> None:
    session = helpers.chat(sqlite_db, "revendeur-beta", "t:beta")
    told = _act(session, text)
    shown = "\n".join(m["text"] for m in session.transcript if m["from"] == "bot")
    assert f"Je ne trouve pas « {named} » parmi vos clients" in shown
    assert "Pour quel client" in told  # asked, not taken for them
    assert "Récapitulatif" not in told
    assert "SRV-2001" not in told


def test_another_resellers_client_and_an_unknown_one_are_reported_alike(
    sqlite_db: Database,
) -> None:
    theirs = helpers.chat(sqlite_db, "revendeur-beta", "t:1")
    unknown = helpers.chat(sqlite_db, "revendeur-beta", "t:2")
    theirs.say("résilier une licence full chez Cabinet Azur")
    unknown.say("résilier une licence full chez Cabinet Zeta")
    assert theirs.last_text().replace("Cabinet Azur", "X") == unknown.last_text().replace(
        "Cabinet Zeta", "X"
    )


def test_an_unknown_service_is_reported_and_the_service_asked(sqlite_db: Database) -> None:
    session = helpers.chat(sqlite_db)
    told = _act(session, "résilie une licence du service SRV-9999")
    assert "Je ne trouve pas « SRV-9999 » parmi vos clients" in told
    session.press("Cabinet Azur")
    assert "Quel service" in session.last_text()  # not taken for the user


def test_a_named_free_licence_is_the_one_in_the_summary(db: Database) -> None:
    session = helpers.chat(db)
    told = _act(session, "résilie la licence FPC367105")
    assert "1 × Licence full (FPC367105)" in told
    session.press("Confirmer")
    assert "FPC367105" in session.last_text()
    [entry] = helpers.audit_entries(db, "cancel_licences")
    assert entry.objects == ["SRV-1001", "FPC367105"]


def test_a_named_licence_holding_a_number_says_so_and_offers_to_dissociate_it(
    sqlite_db: Database,
) -> None:
    session = helpers.chat(sqlite_db)
    told = _act(session, "résilie la licence FPC367101")
    assert "FPC367101" in told
    assert "04 91 00 00 01" in told
    session.press("Dissocier d'abord un numéro")
    assert "04 91 00 00 01" in session.last_text()  # straight to that number's summary
    session.press("Confirmer")
    assert "1 × Licence full (FPC367101)" in session.last_text()
    session.press("Confirmer")
    actions = [(e.action, e.objects[-1]) for e in helpers.audit_entries(sqlite_db)]
    assert actions == [("dissociate_number", "FPC367101"), ("cancel_licences", "FPC367101")]


def test_an_unknown_licence_type_is_reported_and_the_type_asked(sqlite_db: Database) -> None:
    session = helpers.chat(sqlite_db)
    told = _act(session, "résilie 1 licence premium chez Cabinet Azur")
    assert "premium" in told
    assert "Quel type de licence" in told
    assert "Récapitulatif" not in told


def test_an_unknown_site_is_reported_not_dropped(sqlite_db: Database) -> None:
    session = helpers.chat(sqlite_db)
    told = _act(session, "passe FPC367105 sur le site Agence Toulouse")
    assert "Agence Toulouse" in told
    assert "Vers quel site" in told


def test_when_nothing_is_named_the_single_client_is_taken(sqlite_db: Database) -> None:
    session = helpers.chat(sqlite_db, "revendeur-beta", "t:beta")
    told = _act(session, "résilie une licence full")
    assert "Je ne trouve pas" not in told
    assert "Hôtel des Pins" in told


def test_a_client_named_while_switching_procedure_is_reported_and_never_replaced(
    sqlite_db: Database,
) -> None:
    session = helpers.chat(sqlite_db, "revendeur-beta", "t:beta")
    _act(session, "je veux résilier des licences")
    session.say("ajoute un site Agence Nice chez Cabinet Azur")  # Alpha's client, not Beta's
    session.press("Abandonner")
    told = session.last_text()
    assert "Je ne trouve pas « Cabinet Azur » parmi vos clients" in told
    assert "Pour quel client" in told  # asked, not taken for them
    assert "Hôtel des Pins" not in told.split("Pour quel client")[0]
    session.press("Annuler")
    assert helpers.audit_entries(sqlite_db) == []


def test_a_correction_naming_an_unknown_client_is_reported_and_changes_nothing(
    sqlite_db: Database,
) -> None:
    session = helpers.chat(sqlite_db)
    _act(session, "résilie 2 licences full chez Cabinet Azur")
    session.say("non, 1 licence chez Cabinet Zeta")
    told = session.last_text()
    assert "Je ne trouve pas « Cabinet Zeta » parmi vos clients" in told
    assert "corrigé" not in told  # not applied to Cabinet Azur as if it were what was meant
    assert "2 × Licence full (FPC367106, FPC367105)" in told
    session.press("Annuler")
    assert helpers.audit_entries(sqlite_db) == []


def test_a_site_typed_at_the_licences_question_is_never_taken_as_the_destination(
    sqlite_db: Database,
) -> None:
    session = helpers.chat(sqlite_db)
    session.say("je veux changer le site de licences")
    session.press("Garage du Port")
    session.say("Atelier de la Mer")  # no such site: « Atelier » is not what was written
    assert "corrigé" not in session.last_text()
    session.press("FPC367201")
    session.press("Valider")

    assert "Vers quel site" in session.last_text()  # asked, not answered for the user
    frame = session.engine.conversation("t:1").frame
    assert frame is not None
    assert "site" not in frame.answers
    session.say("/annuler")
    assert helpers.audit_entries(sqlite_db) == []


@pytest.mark.parametrize(
    "text",
    [
        "résilie 2 licences stp chez Cabinet Azur",
        "résilie 1 licence seulement chez Cabinet Azur",
        "résilie 2 licences rapidement chez Cabinet Azur",
        "cancel 2 licences only for Cabinet Azur",
    ],
)
def test_a_word_that_names_no_type_after_licences_is_not_reported_as_one(
    sqlite_db: Database, text: str
) -> None:
    session = helpers.chat(sqlite_db)
    told = _act(session, text)
    assert "type de licence MetaCentrex" not in told
    assert "not a MetaCentrex licence type" not in told
    assert "Quel type de licence" in told or "Which licence type" in told
    assert helpers.audit_entries(sqlite_db) == []
