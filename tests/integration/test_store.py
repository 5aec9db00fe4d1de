"""The conversation row: read and written by version, so that a stale turn writes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from bot.database import Database
from dialogs import store
from dialogs.engine import DialogEngine
from dialogs.events import Text
from dialogs.records import ConversationRecord
from dialogs.turn import UserContext
from domain.errors import Conflict
from domain.persistence.uow import UnitOfWork

CHAT = "t:store"


def row(db: Database) -> tuple[int, dict[str, object]]:
    with db.sessions() as session:
        found = session.execute(
            select(ConversationRecord.version, ConversationRecord.data).where(
                ConversationRecord.chat_key == CHAT)
        ).one()
        return found.version, found.data


def test_every_turn_writes_the_conversation_with_a_new_version(db: Database) -> None:
    engine = DialogEngine(db.sessions)
    engine.handle(CHAT, UserContext(lang_hint="en"), Text("/start"))
    first_version, first = row(db)
    engine.handle(CHAT, UserContext(lang_hint="en"), Text("/menu"))
    second_version, second = row(db)
    assert (first_version, second_version) == (2, 3)  # inserted at 1, saved at each turn
    assert first["lang"] == second["lang"] == "en"
    assert engine.conversation(CHAT).turn == 2


def test_a_turn_that_read_an_older_version_writes_nothing(db: Database) -> None:
    engine = DialogEngine(db.sessions)
    engine.handle(CHAT, UserContext(lang_hint="en"), Text("/start"))
    version, before = row(db)
    with UnitOfWork(db.sessions) as uow:
        stored, conversation = store.load(uow.session, CHAT)
        uow.session.execute(  # another writer got in between (what the version guards against)
            update(store.TABLE)
            .where(ConversationRecord.chat_key == CHAT)
            .values(version=ConversationRecord.version + 1)
        )
        conversation.lang = "fr"
        with pytest.raises(Conflict):
            store.save(stored, conversation)
    assert row(db) == (version, before)
