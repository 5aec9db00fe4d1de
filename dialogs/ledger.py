"""The update-id ledger: an update a channel (Telegram) delivers twice is handled once.

An update id is claimed in the transaction of its turn (with the conversation, the change and
the outbox rows): if that transaction does not commit, the id is not claimed and Telegram's
redelivery is handled as the first delivery.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, bindparam, delete, insert, select
from sqlalchemy.orm import Session, sessionmaker

from dialogs import outbox
from dialogs.records import ProcessedUpdate
from domain.model import utcnow

_TABLE = cast(Table, ProcessedUpdate.__table__)
_SEEN = select(_TABLE.c.update_id).where(_TABLE.c.update_id == bindparam("update_id"))
_CLAIM = insert(_TABLE)
KEEP = timedelta(days=7)  # Telegram keeps an undelivered update 24 hours at most


def claim(session: Session, update_id: int) -> bool:
    """Claim ``update_id`` in the caller's transaction: False when it was handled before.

    Two transactions claiming one id at once: the second fails on the primary key at commit
    (a conflict its caller retries, and then sees the claim).
    """
    connection = session.connection()
    if connection.execute(_SEEN, {"update_id": update_id}).first() is not None:
        return False
    connection.execute(_CLAIM, {"update_id": update_id, "at": utcnow()})  # Core: no ORM flush
    return True


class UpdateLedger:
    """Housekeeping of the ledger and of the delivered outbox rows (blocking: run in a thread)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def claim(self, update_id: int) -> bool:
        """Claim an id in a transaction of its own (True the first time)."""
        with self._sessions.begin() as session:
            return claim(session, update_id)

    def forget_before(self, moment: datetime) -> int:
        """Drop the ids claimed, and the outbox rows done, before ``moment``; how many."""
        with self._sessions.begin() as session:
            result = session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.at < moment))
            return int(getattr(result, "rowcount", 0) or 0) + outbox.prune(session, moment)

    def prune(self) -> int:
        return self.forget_before(utcnow() - KEEP)
