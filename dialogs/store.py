"""Loading and saving a chat's conversation, locked for the length of a turn."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dialogs.conversation import Conversation
from domain.model import utcnow
from domain.persistence.records import ConversationRecord


def load(session: Session, chat_key: str) -> tuple[ConversationRecord, Conversation]:
    """The chat's record, locked until the turn commits (PostgreSQL: FOR UPDATE)."""
    record = session.get(ConversationRecord, chat_key, with_for_update=True)
    if record is None:
        record = ConversationRecord(chat_key=chat_key, data={}, nonce="", status="idle")
        session.add(record)
        session.flush()  # a concurrent first turn of the same chat conflicts here
    return record, Conversation.from_dict(record.data)


def save(record: ConversationRecord, conversation: Conversation) -> None:
    record.data = conversation.to_dict()
    record.nonce = conversation.nonce
    record.status = conversation.frame.procedure if conversation.frame else "idle"
    record.updated_at = utcnow()
