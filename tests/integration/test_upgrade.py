"""After an upgrade: `db upgrade` brings any older schema to head, and a conversation saved by the
previous release in a state that no longer exists ends with a clear message instead of breaking."""

from __future__ import annotations

import pytest
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.cli import app
from bot.database import Database, open_database
from bot.replay import ChatSession
from dialogs.accounts import user_context
from dialogs.actions import Answer
from dialogs.conversation import Conversation, Frame
from dialogs.engine import DialogEngine
from dialogs.records import ConversationRecord
from domain.model import AuditEntry, Licence, LicenceState
from domain.persistence.database import make_engine
from domain.persistence.migrate import alembic_config, upgrade
from tests.integration.test_migrations import differences

runner = CliRunner()
CHAT = "tg:7001"
SCRIPTS = ScriptDirectory.from_config(alembic_config("sqlite://"))
OLDER_REVISIONS = [r.down_revision or "base" for r in SCRIPTS.walk_revisions()]


# --- a conversation saved by the previous release ---------------------------------------------
def _saved_by_the_previous_release(db: Database, frame: Frame, *stack: Frame) -> None:
    """The record as an older release left it: a procedure under way, buttons on screen."""
    conversation = Conversation(
        lang="fr",
        frame=frame,
        stack=list(stack),
        nonce="oldnonce",
        actions=[Answer("full")],
        turn=4,
    )
    with db.sessions.begin() as session:
        session.add(
            ConversationRecord(
                chat_key=CHAT,
                data=conversation.to_dict(),
                nonce=conversation.nonce,
                status=frame.procedure,
            )
        )


def _alpha_engine(db: Database, chat: str = CHAT) -> tuple[DialogEngine, ChatSession]:
    engine = DialogEngine(db.sessions)
    return engine, ChatSession(engine, chat, user_context(db.sessions, "revendeur-alpha", "fr"))


def _status(db: Database) -> str:
    with db.sessions() as session:
        record = session.get(ConversationRecord, CHAT)
        assert record is not None
        return record.status


def _nothing_changed(db: Database) -> bool:
    with db.sessions() as session:
        cancelled = session.scalar(
            select(func.count()).select_from(Licence).where(Licence.state == LicenceState.CANCELLED)
        )
        audited = session.scalar(select(func.count()).select_from(AuditEntry))
    return cancelled == 0 and audited == 0


ANSWERS = {"client": "CA-1001", "service": "SRV-1001", "licence_type": "full"}
RENAMED_STATE = Frame("cancel_licences", "a_quantity_to_cancel", "act", dict(ANSWERS))
REMOVED_PROCEDURE = Frame("port_number", "a_operator", "act", {"client": "CA-1001"})
VALID_CALLER = Frame("cancel_licences", "a_numbers_block", "act", dict(ANSWERS))
RENAMED_CALLEE = Frame(
    "dissociate_number", "a_which_number", "act", dict(ANSWERS), origin="dissociate_first"
)


@pytest.mark.parametrize(
    ("frame", "stack"),
    [
        pytest.param(RENAMED_STATE, (), id="renamed-state"),
        pytest.param(REMOVED_PROCEDURE, (), id="removed-procedure"),
        pytest.param(RENAMED_CALLEE, (VALID_CALLER,), id="renamed-sub-procedure-state"),
    ],
)
def test_a_conversation_in_a_state_that_no_longer_exists_ends_with_the_updated_message(
    db: Database, frame: Frame, stack: tuple[Frame, ...]
) -> None:
    _saved_by_the_previous_release(db, frame, *stack)
    engine, session = _alpha_engine(db)

    [reply] = session.say("2")

    assert "L'assistant a été mis à jour" in reply.text
    assert "Rien n'a été modifié" in reply.text
    assert session.find("Résilier des licences") is not None  # the menu, to start again
    conversation = engine.conversation(CHAT)
    assert conversation.frame is None
    assert conversation.stack == []
    assert conversation.switch is None
    assert not conversation.outdated
    assert _status(db) == "idle"
    assert _nothing_changed(db)


def test_an_outdated_conversation_whose_sub_procedure_was_completed_says_what_stays_done(
    db: Database,
) -> None:
    done = "Numéro 04 91 00 00 01 dissocié de la licence FPC367101"
    frame = Frame("cancel_licences", "a_quantity_to_cancel", "act", dict(ANSWERS), done=[done])
    _saved_by_the_previous_release(db, frame)
    engine, session = _alpha_engine(db)

    [reply] = session.say("2")

    assert "L'assistant a été mis à jour" in reply.text
    assert "Rien n'a été modifié" not in reply.text  # the dissociation was made: never denied
    assert f"reste fait :\n• {done}" in reply.text
    assert engine.conversation(CHAT).kept == []  # said once
    assert _nothing_changed(db)  # and this turn changed nothing more


def test_an_old_button_of_an_outdated_conversation_gets_the_updated_message_and_does_nothing(
    db: Database,
) -> None:
    _saved_by_the_previous_release(db, RENAMED_STATE)
    engine, session = _alpha_engine(db)

    [reply] = session.press_token("oldnonce:0", "Licence full")

    assert "mis à jour" in reply.text
    assert engine.conversation(CHAT).frame is None
    assert _nothing_changed(db)


def test_the_updated_message_is_said_once_and_the_menu_then_works_as_usual(db: Database) -> None:
    _saved_by_the_previous_release(db, RENAMED_STATE)
    _engine, session = _alpha_engine(db)
    session.say("bonjour")

    session.press("Résilier des licences")
    session.press("Le faire pour moi")

    assert "mis à jour" not in " ".join(m["text"] for m in session.transcript[-4:])
    assert "Pour quel client" in session.last_text()
    assert _status(db) == "cancel_licences"


def test_a_conversation_whose_states_still_exist_resumes_where_it_was(db: Database) -> None:
    _saved_by_the_previous_release(db, Frame("cancel_licences", "a_quantity", "act", dict(ANSWERS)))
    engine, session = _alpha_engine(db)

    session.say("1")

    assert "Confirmez-vous" in session.last_text()
    assert "mis à jour" not in session.last_text()
    frame = engine.conversation(CHAT).frame
    assert frame is not None
    assert frame.state == "confirm"
    assert frame.answers["quantity"] == 1


def _saved_with_the_first_layout(db: Database) -> None:
    """The record as the release before typed actions left it (layout 1): a question under way,
    its buttons' actions as bare dicts, screen state among the answers."""
    data = {
        "lang": "en",
        "frame": {
            "procedure": "cancel_licences",
            "state": "a_licence_type",
            "mode": "act",
            "answers": {"client": "CA-1001", "service": "SRV-1001", "_auto": ["service"]},
            "origin": "",
        },
        "stack": [],
        "actions": [{"k": "answer", "v": "full"}, {"k": "nav", "v": "stop"}],
        "nonce": "oldnonce",
        "pending": {},
        "turn": 4,
        "schema": 1,
    }
    with db.sessions.begin() as session:
        session.add(
            ConversationRecord(chat_key=CHAT, data=data, nonce="oldnonce", status="cancel_licences")
        )


def test_a_button_of_a_conversation_stored_with_an_older_layout_has_expired_and_does_nothing(
    db: Database,
) -> None:
    _saved_with_the_first_layout(db)
    engine, session = _alpha_engine(db)

    replies = session.press_token("oldnonce:0", "Full licence")

    assert "This button has expired" in replies[0].text  # in the language it was stored with
    assert "What would you like to do?" in replies[-1].text  # the menu, to start again
    conversation = engine.conversation(CHAT)
    assert conversation.frame is None
    assert conversation.stack == []
    assert conversation.lang == "en"
    assert _status(db) == "idle"
    assert _nothing_changed(db)


def test_a_conversation_stored_with_an_older_layout_starts_anew_from_the_menu(
    db: Database,
) -> None:
    _saved_with_the_first_layout(db)
    _engine, session = _alpha_engine(db)
    session.say("/menu")

    session.press("Cancel licences")
    session.press("Do it for me")

    assert "For which client?" in session.last_text()
    assert _status(db) == "cancel_licences"


# --- the schema ---------------------------------------------------------------------------------


def _revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def _db_upgrade(url: str) -> None:
    result = runner.invoke(app, ["db", "upgrade", "--db", url])
    assert result.exit_code == 0, result.output
    assert "schema up to date" in result.output


@pytest.mark.parametrize("older", OLDER_REVISIONS)
def test_db_upgrade_brings_a_database_at_an_older_revision_to_head(
    empty_url: str, older: str
) -> None:
    engine = make_engine(empty_url)
    try:
        upgrade(engine, older)  # "base" leaves the database empty, as before the first release
        assert _revision(empty_url) == (None if older == "base" else older)

        _db_upgrade(empty_url)

        assert _revision(empty_url) == SCRIPTS.get_current_head()
        assert differences(engine) == []
    finally:
        engine.dispose()


def test_db_upgrade_is_idempotent_and_keeps_the_data_and_the_conversations(
    empty_url: str,
) -> None:
    _db_upgrade(empty_url)
    database = open_database(empty_url, migrate=False)
    try:
        database.load_demo()
        _engine, session = _alpha_engine(database, "tg:7002")
        session.say("/menu")
        session.press("Résilier des licences")
        session.press("Le faire pour moi")

        _db_upgrade(empty_url)  # the next release's deployment runs it again
        _db_upgrade(empty_url)

        assert _revision(empty_url) == SCRIPTS.get_current_head()
        session.press("Cabinet Azur")  # the button shown before the upgrade still works
        assert "Quel type de licence" in session.last_text()
        with database.sessions() as db_session:
            assert db_session.scalar(select(func.count()).select_from(Licence)) == 16
    finally:
        database.dispose()
