"""English users get English everywhere: a French-looking name typed as an answer is no switch
of language."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.database import Database
from bot.replay import ChatSession
from dialogs.engine import DialogEngine
from dialogs.turn import UserContext
from domain.persistence.records import IntentExample
from tests import helpers


def _english(db: Database) -> ChatSession:
    alpha = helpers.chat(db)
    user = UserContext(alpha.user.handle, alpha.user.role, alpha.user.reseller_id, "en")
    return ChatSession(DialogEngine(db.sessions), "t:en", user)


@pytest.mark.parametrize("answer", ["Hôtel des Pins", "la boulangerie du port"])
def test_a_client_typed_that_is_not_found_is_refused_in_english(db: Database, answer: str) -> None:
    session = _english(db)
    session.say("I want to cancel licences")
    assert "For which client?" in session.last_text()
    session.say(answer)

    assert "For which client?" in session.last_text()
    assert session.engine.conversation("t:en").lang == "en"
    assert helpers.audit_entries(db) == []


def test_a_site_typed_at_the_licences_question_keeps_english(db: Database) -> None:
    session = _english(db)
    session.say("I want to move licences to another site")
    session.say("Garage du Port")
    session.say("Atelier de la Mer")

    assert "Which licences" in session.last_text()
    assert session.engine.conversation("t:en").lang == "en"


def test_did_you_mean_quotes_its_choices_the_english_way_and_stores_the_choice(
    db: Database,
) -> None:
    session = _english(db)
    session.say("the licence of Julie")
    asked = session.last_text()
    assert asked.startswith("Did you mean ")
    assert '"Cancel licences"' in asked
    assert "«" not in asked
    session.press("^Something else$")

    with db.sessions() as s:
        [example] = s.scalars(select(IntentExample)).all()
        assert (example.text, example.chosen, example.lang) == ("the licence of Julie", None, "en")
