"""The update-id ledger: an update Telegram delivers twice is handled once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from domain.model import utcnow
from domain.persistence.records import ProcessedUpdate

KEEP = timedelta(days=7)  # Telegram keeps an undelivered update 24 hours at most


class UpdateLedger:
    """Claims update ids in the engine's database; blocking calls, run them in a thread."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def claim(self, update_id: int) -> bool:
        """True the first time an update id is claimed, False ever after (at most once)."""
        try:
            with self._sessions.begin() as session:
                session.add(ProcessedUpdate(update_id=update_id, at=utcnow()))
        except IntegrityError:
            return False
        return True

    def forget_before(self, moment: datetime) -> int:
        """Drop the ids claimed before ``moment``; how many were dropped."""
        with self._sessions.begin() as session:
            result = session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.at < moment))
            return int(getattr(result, "rowcount", 0) or 0)

    def prune(self) -> int:
        return self.forget_before(utcnow() - KEEP)
