"""Bad input never slips through: quantities are positive whole numbers, texts carry no hidden
characters, and a name that differs only by case, spacing or such characters is a duplicate."""

from __future__ import annotations

import pytest

from bot.database import Database
from bot.replay import ChatSession
from domain.model import Site
from tests import helpers


def _at_the_quantity(db: Database) -> ChatSession:
    session = helpers.chat(db)
    session.say("résilie des licences full chez Cabinet Azur")
    if session.find("Le faire pour moi") is not None:
        session.press("Le faire pour moi")
    assert "Combien" in session.last_text()
    return session


@pytest.mark.parametrize("typed", ["-1", "-3", "2,5", "2.5", "mille", "−2"])
def test_a_quantity_that_is_not_a_positive_whole_number_is_refused_clearly(
    sqlite_db: Database, typed: str
) -> None:
    session = _at_the_quantity(sqlite_db)
    session.say(typed)
    told = session.last_text()
    assert "nombre" in told
    assert "de 1 à 2" in told
    assert "Combien" in told
    assert "Récapitulatif" not in told
    assert "numéro" not in told  # not an explanation about numbers (SDA)


def test_a_decimal_typed_at_the_summary_corrects_nothing(sqlite_db: Database) -> None:
    session = helpers.chat(sqlite_db)
    session.say("résilie 1 licence full chez Cabinet Azur")
    session.say("2.5")
    told = session.last_text()
    assert "corrigé" not in told
    assert "nombre entier" in told
    assert "1 × Licence full (FPC367106)" in told


def _add_site(session: ChatSession, name: str, street: str, city: str) -> None:
    session.say("ajoute un site chez Cabinet Azur")
    if session.find("Le faire pour moi") is not None:
        session.press("Le faire pour moi")
    for answer in (name, street, "13002", city):
        session.say(answer)


@pytest.mark.parametrize(
    ("name", "street", "city"),
    [
        ("Agence\u200bAix", "1 rue Neuve", "Marseille"),
        ("Agence Nord", "1 rue\x00 Neuve", "Marseille"),
        ("Agence Nord", "1 rue Neuve", "Mar\u202eseille"),
    ],
)
def test_control_and_format_characters_are_refused_and_never_stored(
    db: Database, name: str, street: str, city: str
) -> None:
    session = helpers.chat(db)
    _add_site(session, name, street, city)
    shown = "\n".join(m["text"] for m in session.transcript if m["from"] == "bot")
    assert "caractères invisibles" in shown
    assert "inattendue" not in shown
    assert helpers.count(db, Site) == 4  # the demo's sites: nothing was created
    assert helpers.audit_entries(db) == []


def test_a_name_differing_only_by_case_and_spacing_is_a_duplicate(sqlite_db: Database) -> None:
    session = helpers.chat(sqlite_db)
    session.say("ajoute un site chez Cabinet Azur")
    session.press("Le faire pour moi") if session.find("Le faire pour moi") else None
    session.say("  agence   AIX ")
    assert "déjà un site nommé" in session.last_text()


def test_a_decomposed_accent_is_stored_composed(sqlite_db: Database) -> None:
    session = helpers.chat(sqlite_db)
    _add_site(session, "Agence Che\u0300vre", "1 rue Neuve", "Marseille")
    session.press("Passer")
    session.press("Confirmer")
    with sqlite_db.sessions() as s:
        names = [site.name for site in s.query(Site).all()]
    assert "Agence Chèvre" in names
