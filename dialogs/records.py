"""The dialog layer's tables, on the domain's metadata (one schema, one Alembic history).

Conversations (:mod:`dialogs.store`), what happened to procedures (:mod:`dialogs.stats`), the
outbox of replies (:mod:`dialogs.outbox`) and the ledger of handled updates
(:mod:`dialogs.ledger`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.model import Base, utcnow


class ConversationRecord(Base):
    """One chat's dialog: the procedure under way, its state, answers and suspended procedures."""

    __tablename__ = "conversations"
    chat_key: Mapped[str] = mapped_column(String(80), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    nonce: Mapped[str] = mapped_column(String(16), default="")
    status: Mapped[str] = mapped_column(String(20), default="idle")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class DialogEvent(Base):
    """What happened to procedures (started, completed, cancelled…), for ``openip-bot stats``."""

    __tablename__ = "dialog_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    chat_key: Mapped[str] = mapped_column(String(80), index=True)
    procedure: Mapped[str] = mapped_column(String(40))
    mode: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(20))
    step: Mapped[str] = mapped_column(String(60))


class ProcessedUpdate(Base):
    """Telegram update ids already handled: a re-delivered update is ignored."""

    __tablename__ = "processed_updates"
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OutboxMessage(Base):
    """A reply waiting to be delivered, or delivered: written in the transaction of its turn.

    ``seq`` orders the messages of one chat (allocated from :class:`OutboxChat` at enqueue time,
    so in commit order); ``state`` is ``pending``, ``sent`` or ``failed`` (refused for good).
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("chat_key", "seq", name="uq_outbox_chat_seq"),
        Index("ix_outbox_state_chat", "state", "chat_key"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_key: Mapped[str] = mapped_column(String(80))
    seq: Mapped[int] = mapped_column(BigInteger)
    reply: Mapped[dict[str, Any]] = mapped_column()
    edit_of: Mapped[int | None] = mapped_column(BigInteger)  # the channel's message to replace
    state: Mapped[str] = mapped_column(String(10), default="pending")
    sent_parts: Mapped[int] = mapped_column(Integer, default=0)  # of a reply split in parts
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OutboxChat(Base):
    """The last sequence number given to a chat's outbox messages (its row lock orders them)."""

    __tablename__ = "outbox_chats"
    chat_key: Mapped[str] = mapped_column(String(80), primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
