"""« Vouliez-vous dire »: the choice is kept as a labelled example and reviewed by the operator;
data questions change nothing and show only what the user may see."""

from __future__ import annotations

import io
import json

from sqlalchemy import func, select

from bot.cli_intent import run_review
from bot.database import Database
from domain.model import AuditEntry
from domain.persistence.records import IntentExample
from tests import helpers


def _url(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def _examples(db: Database) -> list[tuple[str, str | None, list[str], str | None, bool]]:
    with db.sessions() as s:
        rows = s.scalars(select(IntentExample).order_by(IntentExample.id)).all()
        return [(r.text, r.chosen, list(r.offered), r.handle, r.reviewed) for r in rows]


def test_a_did_you_mean_choice_is_stored_as_a_labelled_example(db: Database) -> None:
    session = helpers.chat(db, "revendeur-alpha", "t:clarify")
    session.say("la licence de Julie")
    assert session.last_text().startswith("Vouliez-vous dire")
    session.press("^Changer le site")
    assert "Changer le site" in session.last_text()
    session.say("/annuler")
    session.say("la licence de Julie")
    session.press("^Autre chose$")
    offered = _examples(db)[0][2]  # the two most probable, in the model's order
    assert len(offered) == 2
    assert "change_licence_site" in offered
    assert _examples(db) == [
        ("la licence de Julie", "change_licence_site", offered, "revendeur-alpha", False),
        ("la licence de Julie", None, offered, "revendeur-alpha", False),
    ]


def test_the_operator_reviews_the_choices_as_training_lines_and_marks_them_done(
    db: Database,
) -> None:
    session = helpers.chat(db, "revendeur-alpha", "t:review")
    session.say("la licence de Julie")
    session.press("^Changer le site")
    out = io.StringIO()
    run_review(_url(db), out, mark=True)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(x["text"], x["intent"], x["lang"], x["split"], x["by"]) for x in lines] == [
        ("la licence de Julie", "change_licence_site", "fr", "train", "revendeur-alpha")
    ]
    again = io.StringIO()
    run_review(_url(db), again, mark=False)
    assert again.getvalue() == ""
    assert [reviewed for *_, reviewed in _examples(db)] == [True]


def test_a_data_question_changes_nothing_and_never_shows_another_resellers_client(
    db: Database,
) -> None:
    session = helpers.chat(db, "revendeur-beta", "t:data")
    session.say("montre-moi les licences")
    shown = session.last_text()
    assert "Hôtel des Pins" in shown
    assert "Cabinet Azur" not in shown
    assert "Garage du Port" not in shown
    session.say("quels numéros sont libres chez Cabinet Azur ?")
    assert session.last_text().startswith("Je ne trouve pas « Cabinet Azur »")
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_two_close_procedures_are_offered_as_two_buttons_never_a_third(db: Database) -> None:
    session = helpers.chat(db, "revendeur-alpha", "t:which")
    session.say("on enlève ?")  # licences, the pack, and a number were all three plausible
    keyboard = session.last_keyboard()
    assert keyboard is not None
    *procedures, last = keyboard.labels()
    assert sorted(procedures) == [["Résilier des licences"], ["Résilier tout un Starter Pack"]]
    assert last == ["Menu"]
