"""Tables of the domain's own bookkeeping: invitation tokens and « Vouliez-vous dire » examples.

The dialog layer's tables (conversations, dialog events, the outbox, the update ledger) live in
:mod:`dialogs.records`, on the same metadata (:class:`domain.model.Base`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from domain.model import Base, utcnow


class InviteToken(Base):
    """A single-use deep-link token (stored hashed) that links a Telegram account to a bot user."""

    __tablename__ = "invite_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    handle: Mapped[str] = mapped_column(String(80))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class IntentExample(Base):
    """A « Vouliez-vous dire » choice: the sentence, what was offered, what the user chose
    (None: « Autre chose »), kept for the operator to review as a labelled example."""

    __tablename__ = "intent_examples"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    handle: Mapped[str | None] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(String(500))
    lang: Mapped[str] = mapped_column(String(2))
    offered: Mapped[list[Any]] = mapped_column(default=list)
    chosen: Mapped[str | None] = mapped_column(String(40))
    reviewed: Mapped[bool] = mapped_column(default=False)
