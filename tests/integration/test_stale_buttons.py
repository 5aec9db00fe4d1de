"""Buttons of a screen the conversation has moved past: they say so and do nothing."""

from __future__ import annotations

import pytest

from bot.database import Database
from bot.replay import ChatSession
from dialogs.handoff import configure_handoff
from dialogs.reply import Button
from domain.model import Licence, Site
from tests import helpers


def _site_of(db: Database, licence_id: str) -> str:
    with db.sessions() as session:
        licence = session.get(Licence, licence_id)
        assert licence is not None
        site = session.get(Site, licence.site_id)
        assert site is not None
        return site.name


def _button(session: ChatSession, pattern: str) -> Button:
    button = session.find(pattern)
    assert button is not None, pattern
    return button


def test_a_licence_pressed_on_a_page_left_behind_selects_nothing_and_moves_nothing(
    db: Database,
) -> None:
    session = helpers.chat(db)
    session.say("je veux changer le site de licences")
    session.press("Cabinet Azur")
    first_page = _button(session, "FPC367101")
    session.press("Suite")  # page 2 shows FPC367127… at the same places

    told = session.press_token(first_page.token, first_page.label)  # a stale keyboard's tap
    assert "expiré" in told[0].text
    assert "✅" not in told[-1].text + str(told[-1].labels())  # nothing selected

    session.press("FPC367128")
    session.press("Valider")
    session.press("Agence Aix")
    assert "FPC367127" not in session.last_text()
    session.press("Confirmer")

    assert _site_of(db, "FPC367128") == "Agence Aix"
    assert _site_of(db, "FPC367127") == _site_of(db, "FPC367101") == "Siège Social"
    [entry] = helpers.audit_entries(db)
    assert entry.action == "change_licence_site"


def test_a_choice_pressed_on_a_list_that_changed_meanwhile_toggles_nothing_else(
    db: Database,
) -> None:
    session = helpers.chat(db)
    session.say("je veux changer le site de licences")
    session.press("Cabinet Azur")
    shown = [_button(session, "FPC367101"), _button(session, "FPC367106")]
    helpers.run(db, helpers.cancel(None, ids=("FPC367105",)))  # someone else, meanwhile

    session.press_token(shown[0].token, shown[0].label)  # the list is read again: one less
    told = session.press_token(shown[1].token, shown[1].label)  # the same old keyboard
    assert "expiré" in told[0].text
    assert "✅ FPC367123" not in str(told[-1].labels())

    session.press("Valider")
    session.press("Agence Aix")
    session.press("Confirmer")
    assert _site_of(db, "FPC367123") == "Siège Social"
    actions = [e.action for e in helpers.audit_entries(db)]
    assert actions == ["cancel_licences", "change_licence_site"]


@pytest.mark.parametrize(
    "question", ["je voudrais parler à un humain", "ajoute un site chez Garage du Port"]
)
@pytest.mark.parametrize("yes", ["oui", "yes"])
def test_yes_typed_to_a_question_asked_over_a_summary_never_confirms_the_summary(
    db: Database, question: str, yes: str
) -> None:
    configure_handoff(-100)  # the helpdesk's chat is set: forwarding is offered
    try:
        session = helpers.chat(db, chat_key="tg:55")
        session.say("résilie 2 licences full chez Cabinet Azur")
        assert "Confirmez-vous" in session.last_text()
        session.say(question)  # « forward a summary? » or « leave it for another? »
        session.say(yes)  # an answer to that question, not to the summary
    finally:
        configure_handoff(None)

    assert "C'est fait" not in session.last_text()
    assert helpers.audit_entries(db) == []
    with db.sessions() as s:
        assert s.get(Licence, "FPC367106").state == "active"  # type: ignore[union-attr]
