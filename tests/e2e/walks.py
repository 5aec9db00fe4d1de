"""Walks through the assistant shared by the end-to-end tests, and what they leave behind."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.database import Database
from dialogs.records import ProcessedUpdate
from domain.model import AuditEntry
from tests.e2e.conftest import Telegram
from tests.e2e.people import Person

TO_THE_SUMMARY = (
    "Résilier des licences",
    "Le faire pour moi",
    "Cabinet Azur",
    "Licence full .*",
    "2",
)
DONE = "C'est fait"


def cancellations(db: Database) -> int:
    """How many cancellations the audit records (each one a change made)."""
    with db.sessions() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "cancel_licences")
            )
            or 0
        )


def handled(db: Database) -> set[int]:
    """The update ids the ledger holds."""
    with db.sessions() as session:
        return set(session.scalars(select(ProcessedUpdate.update_id)))


async def to_the_summary(telegram: Telegram, person: Person) -> None:
    await telegram.say(person, "/start")
    for label in TO_THE_SUMMARY:
        await telegram.press(person, label)
