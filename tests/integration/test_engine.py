"""The engine's guarantees: tokens bound to a step, acting once, surviving a restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.database import Database, open_database
from bot.replay import ChatSession
from dialogs.engine import DialogEngine
from dialogs.events import Press
from dialogs.turn import UserContext
from domain.model import AuditEntry, Licence, LicenceState
from tests import helpers


def _chat(db: Database, handle: str = "revendeur-alpha", chat: str = "t:1") -> ChatSession:
    return helpers.chat(db, handle, chat)


def _to_confirmation(session: ChatSession) -> None:
    session.say("/menu")
    session.press("Résilier des licences")
    session.press("Le faire pour moi")
    session.press("Cabinet Azur")
    session.press("^Licence full —")
    session.press("^2$")
    assert "Confirmez-vous" in session.last_text()


def _cancelled(db: Database) -> int:
    with db.sessions() as s:
        stmt = select(func.count()).where(Licence.state == LicenceState.CANCELLED)
        return int(s.scalar(stmt.select_from(Licence)) or 0)


def test_pressing_confirm_twice_cancels_the_licences_once(db: Database) -> None:
    session = _chat(db)
    _to_confirmation(session)
    confirm = session.find("Confirmer")
    assert confirm is not None
    session.press_token(confirm.token, "Confirmer")
    assert "FPC367106, FPC367105" in session.last_text()
    session.press_token(confirm.token, "Confirmer")
    assert "expiré" in session.transcript[-2]["text"]
    assert _cancelled(db) == 2
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 1


def test_a_button_from_an_older_step_has_expired_and_changes_nothing(sqlite_db: Database) -> None:
    session = _chat(sqlite_db)
    session.say("/menu")
    old = session.find("Résilier des licences")
    session.press("Résilier des licences")
    session.press("Le faire pour moi")
    assert old is not None
    session.press_token(old.token, "old")
    assert "expiré" in session.transcript[-2]["text"]
    assert "Pour quel client" in session.last_text()


@pytest.mark.parametrize("token", ["", "forged", "abc:0", "::", "x:999", "A" * 64])
def test_a_forged_button_is_answered_as_expired(sqlite_db: Database, token: str) -> None:
    session = _chat(sqlite_db)
    session.say("/menu")
    session.press_token(token)
    assert "expiré" in session.transcript[-2]["text"]


def test_a_button_of_another_chat_does_nothing_here(sqlite_db: Database) -> None:
    mine, theirs = _chat(sqlite_db, chat="t:mine"), _chat(sqlite_db, chat="t:theirs")
    mine.say("/menu")
    theirs.say("/menu")
    foreign = theirs.find("Résilier des licences")
    assert foreign is not None
    replies = mine.engine.handle("t:mine", mine.user, Press(foreign.token))
    assert "expiré" in replies[0].text


def test_a_conversation_resumes_where_it_was_after_a_restart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'restart.sqlite3'}"
    first = open_database(url, demo_if_new=True)
    session = _chat(first)
    session.say("/menu")
    session.press("Résilier des licences")
    session.press("Le faire pour moi")
    session.press("Cabinet Azur")
    first.dispose()  # the process stops

    second = open_database(url)
    resumed = ChatSession(DialogEngine(second.sessions), "t:1", session.user)
    resumed.say("Licence full")
    assert "Combien" in resumed.last_text()
    resumed.say("2")
    assert "FPC367106, FPC367105" in resumed.last_text()
    second.dispose()


def test_an_unlinked_user_is_guided_but_never_reaches_client_data(sqlite_db: Database) -> None:
    engine = DialogEngine(sqlite_db.sessions)
    session = ChatSession(engine, "t:anon", UserContext(lang_hint="fr"))
    session.say("/menu")
    session.press("Résilier des licences")
    assert "Étape 1/" in session.last_text()
    assert session.find("Le faire pour moi") is None
    session.say("résilie 2 licences full chez Cabinet Azur")
    assert "Cabinet Azur" not in session.last_text()


def test_the_helpdesk_gets_guide_mode_only(sqlite_db: Database) -> None:
    session = _chat(sqlite_db, handle="helpdesk", chat="t:help")
    session.say("/menu")
    session.press("Résilier des licences")
    assert "Étape 1/" in session.last_text()


def test_cancel_at_any_point_leaves_everything_as_it_was(db: Database) -> None:
    session = _chat(db)
    _to_confirmation(session)
    session.say("/annuler")
    assert "rien n'a été modifié" in session.last_text()
    assert _cancelled(db) == 0
    assert session.engine.conversation("t:1").frame is None


def test_going_back_past_an_automatic_answer_lets_another_client_be_chosen(
    sqlite_db: Database,
) -> None:
    session = _chat(sqlite_db)
    session.say("/menu")
    session.press("Résilier des licences")
    session.press("Le faire pour moi")
    session.press("Cabinet Azur")
    session.press("Précédent")
    assert "Pour quel client" in session.last_text()
    session.press("Garage du Port")
    assert "Quel type de licence" in session.last_text()
    assert session.find("Licence simple") is not None


def test_licences_named_without_their_client_are_found_in_the_right_service(
    sqlite_db: Database,
) -> None:
    session = _chat(sqlite_db)
    session.say("passe FPC367128 sur Agence Aix")
    assert "SRV-1001" in session.last_text()
    assert "FPC367128" in session.last_text()


def test_a_licence_of_another_reseller_locates_nothing_and_reveals_nothing(
    sqlite_db: Database,
) -> None:
    session = _chat(sqlite_db)
    session.say("déplace la licence FPC367301 vers un autre site")
    assert "Hôtel des Pins" not in session.last_text()
    assert "Pour quel client" in session.last_text()


def test_only_a_press_on_the_current_step_asks_to_edit_its_message(sqlite_db: Database) -> None:
    session = _chat(sqlite_db)
    [menu] = session.say("/menu")
    assert not menu.edit  # typed text: a new message
    button = session.find("Résilier des licences")
    assert button is not None
    [step] = session.press_token(button.token)
    assert step.edit
    expired = session.press_token(button.token)
    assert not any(reply.edit for reply in expired)


def test_an_unlinked_user_cannot_look_a_service_up(sqlite_db: Database) -> None:
    session = ChatSession(DialogEngine(sqlite_db.sessions), "t:anon", UserContext(lang_hint="fr"))
    session.say("SRV-1001")
    assert "Cabinet Azur" not in session.last_text()
    assert "pas lié" in session.last_text()


def test_what_the_screen_shows_is_kept_apart_from_the_answers(sqlite_db: Database) -> None:
    session = _chat(sqlite_db)
    session.say("je veux changer le site de licences")
    session.press("Cabinet Azur")  # its only service is taken on its own
    session.press("FPC367105")
    session.press("Suite")

    frame = session.engine.conversation("t:1").frame
    assert frame is not None
    assert frame.answers == {"client": "CA-1001", "service": "SRV-1001"}
    assert (frame.selected, frame.pages, frame.auto) == (
        {"licences": ["FPC367105"]},
        {"licences": 1},
        ["service"],
    )

    session.press("FPC367128")
    session.press("Valider")

    frame = session.engine.conversation("t:1").frame
    assert frame is not None
    assert frame.answers["licences"] == ["FPC367105", "FPC367128"]
    assert frame.pages == {}
