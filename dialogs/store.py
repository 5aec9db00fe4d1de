"""Loading and saving a chat's conversation, locked for the length of a turn.

The row is read and written with SQLAlchemy Core (no ORM identity map, no unit-of-work flush): a
``SELECT … FOR UPDATE`` (PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already holds the write lock),
then one ``UPDATE … WHERE version = :read`` that bumps the version. An update that finds another
version (a turn of another instance won the race) raises :class:`Conflict`, and the turn's whole
transaction is rolled back, as the ORM's ``version_id_col`` does for :class:`ConversationRecord`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from dialogs.conversation import Conversation
from dialogs.records import ConversationRecord
from domain.errors import Conflict
from domain.model import utcnow

TABLE = cast(Table, ConversationRecord.__table__)
# built once: a turn only binds its values (no statement construction, cached compilation)
_READ = (
    select(TABLE.c.data, TABLE.c.version)
    .where(TABLE.c.chat_key == bindparam("key"))
    .with_for_update()
)
_CREATE = insert(TABLE)
_WRITE = update(TABLE).where(
    TABLE.c.chat_key == bindparam("key"), TABLE.c.version == bindparam("read")
)


@dataclass
class StoredConversation:
    """The row a turn read: its data as stored (empty for a new chat) and its version."""

    session: Session
    chat_key: str
    data: dict[str, Any]
    version: int


def load(session: Session, chat_key: str) -> tuple[StoredConversation, Conversation]:
    """The chat's row, locked until the turn commits (PostgreSQL: FOR UPDATE); a new chat's row
    is inserted at once, so that a concurrent first turn of the same chat conflicts here."""
    connection = session.connection()
    row = connection.execute(_READ, {"key": chat_key}).first()
    if row is None:
        connection.execute(_CREATE, {"chat_key": chat_key, "data": {}, "nonce": "",
                                     "status": "idle", "updated_at": utcnow(), "version": 1})
        stored = StoredConversation(session, chat_key, {}, 1)
    else:
        stored = StoredConversation(session, chat_key, row.data or {}, row.version)
    return stored, Conversation.from_dict(stored.data)


def save(stored: StoredConversation, conversation: Conversation) -> None:
    """Write the conversation back if its row still has the version read, else :class:`Conflict`."""
    data = conversation.to_dict()
    result = stored.session.connection().execute(_WRITE, {
        "key": stored.chat_key, "read": stored.version, "data": data,
        "nonce": conversation.nonce,
        "status": conversation.frame.procedure if conversation.frame else "idle",
        "updated_at": utcnow(), "version": stored.version + 1,
    })
    if result.rowcount != 1:
        raise Conflict()
    stored.data, stored.version = data, stored.version + 1
