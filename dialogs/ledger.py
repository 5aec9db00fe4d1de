"""The update-id ledger: an update a channel (Telegram) delivers twice is handled once.

An update id is claimed in the transaction of its turn (with the conversation, the change and
the outbox rows): if that transaction does not commit, the id is not claimed and Telegram's
redelivery is handled as the first delivery.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from dialogs import outbox
from dialogs.records import ProcessedUpdate
from domain.model import utcnow

_TABLE = cast(Table, ProcessedUpdate.__table__)
# one statement: the id is inserted, or it was there (claimed before: nothing inserted)
_CLAIM = tuple(
    insert(_TABLE).on_conflict_do_nothing().returning(_TABLE.c.update_id)
    for insert in (sqlite.insert, postgresql.insert)
)  # [is PostgreSQL]
KEEP = timedelta(days=7)  # Telegram keeps an undelivered update 24 hours at most


def claim(session: Session, update_id: int) -> bool:
    """Claim ``update_id`` in the caller's transaction: False when it was handled before.

    One ``INSERT … ON CONFLICT DO NOTHING RETURNING`` (Core: no ORM flush). Two transactions
    claiming one id at once: the second waits for the first (SQLite's write lock, PostgreSQL's
    unique index) and inserts nothing once it committed, or takes the id if it rolled back.
    """
    connection = session.connection()
    statement = _CLAIM[connection.dialect.name == "postgresql"]
    inserted = connection.execute(statement, {"update_id": update_id, "at": utcnow()}).first()
    return inserted is not None


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
